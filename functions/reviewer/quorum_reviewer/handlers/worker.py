"""Worker entry point: `{"action": <name>, ...}` events from the state machine, the scheduler and RPC.

Actions: draw_panel, release_seat, record_outcomes, reviewer_stats, run_enrollment, auto_adjust.
Errors are raised with stable class names (Step Functions `ErrorEquals`): `UnknownAction`,
`InvalidInput` (a malformed event), `TransientError` (DynamoDB throttling; retry).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, ValidationError

from quorum_common.errors import InvalidInput, UnknownAction
from quorum_common.observability import observability
from quorum_common.vocabulary import Decision, EntityId
from quorum_reviewer.domain.invitation import Brief, ContentField, SeatState
from quorum_reviewer.domain.model import Code, TagSet
from quorum_reviewer.handlers.edge import stats_json
from quorum_reviewer.handlers.wiring import now, ports, time_left
from quorum_reviewer.service.draw import DrawPanel, draw_panel
from quorum_reviewer.service.reviewers import reviewer_stats
from quorum_reviewer.service.seats import RecordOutcomes, ReleaseSeat, record_outcomes, release_seat
from quorum_reviewer.service.sweeps import Sweep, auto_adjust, run_enrollment

logger, metrics, tracer = observability("reviewer")
E = TypeVar("E", bound=BaseModel)
ExclusionId = str  # ids to keep off a panel need no particular shape, only a bound
MAX_SEATS = 101


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DrawPanelEvent(_Event):
    action: Literal["draw_panel"]
    case_id: EntityId
    seats: StrictInt = Field(ge=0, le=MAX_SEATS)
    exclude: list[ExclusionId] = Field(default_factory=list, max_length=5000)
    tags: TagSet = ()
    round: StrictInt | None = Field(default=None, ge=0, le=1000)
    module: Code | None = None
    reason: Code | None = None
    content: ContentField = None
    deadline: AwareDatetime | None = None

    def command(self) -> DrawPanel:
        brief = Brief(module=self.module, reason=self.reason, content=self.content, deadline=self.deadline)
        return DrawPanel(case_id=self.case_id, seats=self.seats, exclude=frozenset(self.exclude), tags=self.tags,
                         round=self.round, brief=brief)


class ReleaseSeatEvent(_Event):
    action: Literal["release_seat"]
    case_id: EntityId
    reviewer_id: EntityId
    outcome: Literal["voted", "expired"]


class VoteIn(BaseModel):
    """A vote as the report capability passes it (other fields it carries are ignored)."""

    model_config = ConfigDict(extra="ignore")

    reviewer_id: EntityId
    verdict: Decision


class RecordOutcomesEvent(_Event):
    action: Literal["record_outcomes"]
    case_id: EntityId
    decision: Decision
    invited: list[EntityId] = Field(max_length=2000)
    votes: list[VoteIn] = Field(default_factory=list, max_length=2000)


class StatsEvent(_Event):
    action: Literal["reviewer_stats"]
    reviewer_ids: list[EntityId] = Field(max_length=500)


class SweepEvent(_Event):
    action: Literal["run_enrollment", "auto_adjust"]
    cursor: str | None = Field(default=None, max_length=2048)
    page_size: StrictInt = Field(default=100, ge=1, le=1000)


def parse(model: type[E], event: dict[str, Any]) -> E:
    """The event as `model`, or `InvalidInput` naming what is wrong."""
    try:
        return model.model_validate(event)
    except ValidationError as exc:
        details = exc.errors(include_url=False, include_context=False, include_input=False)
        raise InvalidInput(f"Invalid {event.get('action')} event.", code="invalid_event", details=details) from exc


def _draw_panel(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    drawn = draw_panel(parse(DrawPanelEvent, event).command(), ports(), now())
    metrics.add_metric(name="SeatsDrawn", unit=MetricUnit.Count, value=len(drawn.reviewer_ids))
    metrics.add_metric(name="SeatsShort", unit=MetricUnit.Count, value=drawn.short_by)
    return {"reviewer_ids": drawn.reviewer_ids, "short_by": drawn.short_by}


def _release_seat(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    e = parse(ReleaseSeatEvent, event)
    released = release_seat(ReleaseSeat(e.case_id, e.reviewer_id, SeatState(e.outcome)), ports().seats, now())
    return {"released": released}


def _record_outcomes(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    e = parse(RecordOutcomesEvent, event)
    cmd = RecordOutcomes(case_id=e.case_id, decision=e.decision, invited=tuple(e.invited),
                         verdicts={v.reviewer_id: v.verdict for v in e.votes})
    p = ports()
    done = record_outcomes(cmd, p.outcomes, p.seats, now())
    return {**{kind.value: n for kind, n in done.counts.items()}, "released": done.released}


def _reviewer_stats(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    found = reviewer_stats(parse(StatsEvent, event).reviewer_ids, ports().reviewers)
    return {"stats": {uid: {**stats_json(r), "status": r.status.value if r.status else None} for uid, r in found.items()}}


def _run_enrollment(event: dict[str, Any], context: Any) -> dict[str, Any]:
    e, p = parse(SweepEvent, event), ports()
    report = run_enrollment(Sweep(e.cursor, e.page_size), p.reviewers, p.rules, now(), time_left(context, 10_000))
    return report.as_dict()


def _auto_adjust(event: dict[str, Any], context: Any) -> dict[str, Any]:
    e, p = parse(SweepEvent, event), ports()
    report = auto_adjust(Sweep(e.cursor, e.page_size), p.reviewers, p.rules, now(), time_left(context, 10_000))
    return report.as_dict()


ACTIONS: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]] = {
    "draw_panel": _draw_panel, "release_seat": _release_seat, "record_outcomes": _record_outcomes,
    "reviewer_stats": _reviewer_stats, "run_enrollment": _run_enrollment, "auto_adjust": _auto_adjust,
}


@logger.inject_lambda_context(correlation_id_path="case_id")
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    action = ACTIONS.get(event.get("action")) if isinstance(event, dict) else None
    if action is None:
        raise UnknownAction(f"Unknown action {event.get('action') if isinstance(event, dict) else None!r}.")
    return action(event, context)
