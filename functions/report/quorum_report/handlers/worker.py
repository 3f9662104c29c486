"""The voting lifecycle's tasks: the state machine (and the sweeper) invoke them by `action`.

Errors leave with their class name as the Step Functions error (`CaseSettled`,
`TransientError`, `UnknownAction`, ...), which voting.asl.json retries or catches.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, ConfigDict, Field

from quorum_common.observability import observability
from quorum_report.domain.errors import UnknownAction
from quorum_report.handlers.wiring import worker_deps
from quorum_report.service import lifecycle
from quorum_report.service.sweeper import Sweep, sweep_stuck_cases

logger, metrics, tracer = observability("report-worker")

Id = Field(min_length=1, max_length=128)


class CaseTask(BaseModel):
    model_config = ConfigDict(extra="ignore")

    case_id: str = Id


class RoundTask(CaseTask):
    round: int = Field(ge=1, le=100)


class OpenRoundTask(RoundTask):
    reviewer_ids: list[str] = Field(default_factory=list, max_length=200)
    deadline: datetime | None = None


class AwaitTask(CaseTask):
    token: str = Field(min_length=1, max_length=4096)
    round: int | None = Field(default=None, ge=1, le=100)


class SweepTask(BaseModel):
    model_config = ConfigDict(extra="ignore")

    stale_after_seconds: int = Field(default=900, ge=0, le=7 * 86400)
    limit: int = Field(default=100, ge=1, le=1000)


class EscalateTask(BaseModel):
    model_config = ConfigDict(extra="ignore")

    state: dict[str, Any]


def _load_case(event: dict[str, Any]) -> dict[str, Any]:
    deps = worker_deps()
    return lifecycle.load_case(CaseTask.model_validate(event).case_id, store=deps.store, clock=deps.clock)


def _open_round(event: dict[str, Any]) -> dict[str, Any]:
    task, deps = OpenRoundTask.model_validate(event), worker_deps()
    state = lifecycle.open_round(task.case_id, task.round, task.reviewer_ids, store=deps.store,
                                 notifier=deps.notifier, clock=deps.clock, deadline=task.deadline)
    metrics.add_metric(name="ReviewersInvited", unit=MetricUnit.Count, value=state.get("invited", 0))
    return state


def _await_votes(event: dict[str, Any]) -> dict[str, Any]:
    task = AwaitTask.model_validate(event)
    return lifecycle.await_votes(task.case_id, task.round or 1, task.token, store=worker_deps().store)


def _close_round(event: dict[str, Any]) -> dict[str, Any]:
    task, deps = RoundTask.model_validate(event), worker_deps()
    state = lifecycle.close_round(task.case_id, task.round, store=deps.store, reviewers=deps.reviewers,
                                  clock=deps.clock)
    metrics.add_metric(name="RoundTimeouts", unit=MetricUnit.Count, value=1)
    if state["next"] == "substitute":
        metrics.add_metric(name="SubstituteRounds", unit=MetricUnit.Count, value=1)
    return state


def _escalate(event: dict[str, Any]) -> dict[str, Any]:
    deps = worker_deps()
    state = lifecycle.escalate(EscalateTask.model_validate(event).state, store=deps.store, notifier=deps.notifier,
                               reviewers=deps.reviewers, clock=deps.clock)
    metrics.add_metric(name="CasesEscalated", unit=MetricUnit.Count, value=1)
    return state


def _await_resolution(event: dict[str, Any]) -> dict[str, Any]:
    task = AwaitTask.model_validate(event)
    return lifecycle.await_resolution(task.case_id, task.token, store=worker_deps().store)


def _decide(event: dict[str, Any]) -> dict[str, Any]:
    deps = worker_deps()
    state = lifecycle.decide(CaseTask.model_validate(event).case_id, store=deps.store, notifier=deps.notifier,
                             reviewers=deps.reviewers, clock=deps.clock)
    metrics.add_metric(name="CasesDecided", unit=MetricUnit.Count, value=1)
    return state


def _sweep_stuck_cases(event: dict[str, Any]) -> dict[str, Any]:
    task, deps = SweepTask.model_validate(event), worker_deps()
    if deps.workflow is None:
        logger.warning("no state machine configured: the sweep cannot restart executions")
        return {"checked": 0, "restarted": [], "skipped": "QUORUM_VOTING_STATE_MACHINE_ARN is not set"}
    result = sweep_stuck_cases(Sweep(timedelta(seconds=task.stale_after_seconds), task.limit), store=deps.store,
                               workflow=deps.workflow, clock=deps.clock)
    metrics.add_metric(name="CasesRestarted", unit=MetricUnit.Count, value=len(result.restarted))
    return result.as_dict()


ACTIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "load_case": _load_case,
    "open_round": _open_round,
    "await_votes": _await_votes,
    "close_round": _close_round,
    "escalate": _escalate,
    "await_resolution": _await_resolution,
    "decide": _decide,
    "sweep_stuck_cases": _sweep_stuck_cases,
}


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    action = event.get("action") if isinstance(event, dict) else None
    run = ACTIONS.get(str(action))
    if run is None:
        raise UnknownAction(f"The report worker has no action {action!r}.")
    case_id = event.get("case_id") or (event.get("state") or {}).get("case_id")
    logger.set_correlation_id(case_id)
    logger.append_keys(action=action)
    return run(event)
