"""Worker entry point: `{"action": <name>, ...}` events from the state machine, the scheduler and RPC.

Actions: draw_panel, release_seat, record_outcomes, reviewer_stats, run_enrollment, auto_adjust.
Errors are raised with stable class names (Step Functions `ErrorEquals`): `UnknownAction`,
`InvalidInput` (a malformed event), `TransientError` (DynamoDB throttling; retry), `DrawInProgress`
(another invocation is drawing the same round; retry).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from quorum_common.observability import observability
from quorum_common.vocabulary import utc_now
from quorum_common.worker import Worker
from quorum_reviewer.domain.invitation import Brief, SeatState
from quorum_reviewer.handlers import schemas as s
from quorum_reviewer.handlers.wiring import WORKER_MARGIN_MS, invocation_lease, ports, time_left
from quorum_reviewer.service.draw import DrawPanel, draw_panel
from quorum_reviewer.service.reviewers import reviewer_stats
from quorum_reviewer.service.seats import RecordOutcomes, ReleaseSeat, record_outcomes, release_seat
from quorum_reviewer.service.sweeps import Sweep, auto_adjust, run_enrollment

logger, metrics, tracer = observability("reviewer")
worker = Worker("reviewer", logger)


def _draw_command(task: s.DrawPanelTask) -> DrawPanel:
    brief = Brief(module=task.module, reason=task.reason, content=task.content, deadline=task.deadline)
    return DrawPanel(case_id=task.case_id, seats=task.seats, exclude=frozenset(task.exclude), tags=task.tags,
                     round=task.round, brief=brief, max_region_share=task.max_region_share, balance=task.balance)


@worker.action
def _draw_panel(task: s.DrawPanelTask, context: Any) -> s.PanelDrawn:
    drawn = draw_panel(_draw_command(task), ports(), utc_now(), lease=invocation_lease(context))
    metrics.add_metric(name="SeatsDrawn", unit=MetricUnit.Count, value=len(drawn.reviewer_ids))
    metrics.add_metric(name="SeatsShort", unit=MetricUnit.Count, value=drawn.short_by)
    return s.PanelDrawn(reviewer_ids=drawn.reviewer_ids, short_by=drawn.short_by)


@worker.action
def _release_seat(task: s.ReleaseSeatTask, _context: Any) -> s.SeatReleased:
    cmd = ReleaseSeat(task.case_id, task.reviewer_id, SeatState(task.outcome))
    return s.SeatReleased(released=release_seat(cmd, ports().seats, utc_now()))


@worker.action
def _record_outcomes(task: s.RecordOutcomesTask, _context: Any) -> s.OutcomesRecorded:
    cmd = RecordOutcomes(case_id=task.case_id, decision=task.decision, invited=tuple(task.invited),
                         verdicts={v.reviewer_id: v.verdict for v in task.votes})
    p = ports()
    done = record_outcomes(cmd, p.outcomes, p.seats, utc_now())
    return s.OutcomesRecorded(**{kind.value: n for kind, n in done.counts.items()}, released=done.released)


@worker.action
def _reviewer_stats(task: s.ReviewerStatsTask, _context: Any) -> s.ReviewerStats:
    found = reviewer_stats(task.reviewer_ids, ports().reviewers)
    return s.ReviewerStats(stats={uid: s.StatsEntry(**r.stats.model_dump(), status=r.status) for uid, r in found.items()})


@worker.action
def _run_enrollment(task: s.RunEnrollmentTask, context: Any) -> s.EnrollmentResult:
    p = ports()
    report = run_enrollment(Sweep(task.cursor, task.page_size), p.reviewers, p.rules, utc_now(),
                            time_left(context, WORKER_MARGIN_MS))
    return s.EnrollmentResult.model_validate(report.as_dict())


@worker.action
def _auto_adjust(task: s.AutoAdjustTask, context: Any) -> s.AdjustmentResult:
    p = ports()
    report = auto_adjust(Sweep(task.cursor, task.page_size), p.reviewers, p.rules, utc_now(),
                         time_left(context, WORKER_MARGIN_MS))
    return s.AdjustmentResult.model_validate(report.as_dict())


@logger.inject_lambda_context(correlation_id_path="case_id")
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return worker.dispatch(event, context)
