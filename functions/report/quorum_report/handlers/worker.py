"""The voting lifecycle's tasks: the state machine (the scheduled sweep, and the report API for a recused
seat's substitute) invoke them by `action`.

Inputs and outputs are `service/steps.py`'s models (the state machine's contract). Errors leave with
their class name as the Step Functions error (`CaseSettled`, `TransientError`, `EffectFailed`,
`UnknownAction`, `InvalidInput`, ...), which voting.asl.json retries or catches.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from quorum_common.worker import Worker
from quorum_report.handlers.wiring import logger, metrics, tracer, worker_deps
from quorum_report.service import closing, lifecycle, recusal, steps
from quorum_report.service.steps import (
    AwaitResolutionTask,
    AwaitVotesTask,
    CloseRoundTask,
    CompleteDecisionTask,
    DecideTask,
    EscalateTask,
    LoadCaseTask,
    OpenRoundTask,
    SweepTask,
)
from quorum_report.service.sweeper import Sweep, sweep_stuck_cases

worker = Worker("report", logger)


@worker.action
def load_case(task: LoadCaseTask, context: Any) -> steps.LoadedCase:
    deps = worker_deps()
    return lifecycle.load_case(task.case_id, store=deps.store, clock=deps.clock)


@worker.action
def open_round(task: OpenRoundTask, context: Any) -> steps.OpenedRound:
    deps = worker_deps()
    state = lifecycle.open_round(task.case_id, task.round, task.reviewer_ids, store=deps.store,
                                 notifier=deps.notifier, clock=deps.clock, deadline=task.deadline)
    if isinstance(state, steps.AwaitVotes):
        metrics.add_metric(name="ReviewersInvited", unit=MetricUnit.Count, value=state.invited)
    return state


@worker.action
def await_votes(task: AwaitVotesTask, context: Any) -> steps.Waiting:
    return lifecycle.await_votes(task.case_id, task.round or 1, task.token, store=worker_deps().store)


@worker.action
def close_round(task: CloseRoundTask, context: Any) -> steps.ClosedRound:
    deps = worker_deps()
    state = lifecycle.close_round(task.case_id, task.round, store=deps.store, reviewers=deps.reviewers,
                                  clock=deps.clock)
    metrics.add_metric(name="RoundTimeouts", unit=MetricUnit.Count, value=1)
    if state.next == "substitute":
        metrics.add_metric(name="SubstituteRounds", unit=MetricUnit.Count, value=1)
    return state


@worker.action
def escalate(task: EscalateTask, context: Any) -> steps.Escalated:
    deps = worker_deps()
    state = closing.escalate(task.state, store=deps.store, notifier=deps.notifier, reviewers=deps.reviewers,
                               clock=deps.clock)
    metrics.add_metric(name="CasesEscalated", unit=MetricUnit.Count, value=1)
    return state


@worker.action
def await_resolution(task: AwaitResolutionTask, context: Any) -> steps.Waiting:
    return closing.await_resolution(task.case_id, task.token, store=worker_deps().store)


@worker.action
def decide(task: DecideTask, context: Any) -> steps.Decided:
    deps = worker_deps()
    state = closing.decide(task.case_id, store=deps.store, notifier=deps.notifier, reviewers=deps.reviewers,
                             clock=deps.clock)
    metrics.add_metric(name="CasesDecided", unit=MetricUnit.Count, value=1)
    return state


@worker.action
def substitute_seat(task: recusal.SubstituteSeatTask, context: Any) -> recusal.SeatSubstituted:
    deps = worker_deps()
    state = recusal.substitute_seat(task, store=deps.store, reviewers=deps.reviewers, notifier=deps.notifier,
                                    clock=deps.clock)
    metrics.add_metric(name="SeatsRecused", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="ReviewersInvited", unit=MetricUnit.Count, value=len(state.reviewer_ids))
    return state


@worker.action
def complete_decision(task: CompleteDecisionTask, context: Any) -> steps.EffectsCompleted:
    return closing.complete_decision(task.case_id, store=worker_deps().store, clock=worker_deps().clock)


@worker.action
def sweep(task: SweepTask, context: Any) -> steps.SweepReport:
    deps = worker_deps()
    result = sweep_stuck_cases(Sweep(timedelta(seconds=task.stale_after_seconds), task.limit), store=deps.store,
                               workflow=deps.workflow, clock=deps.clock)
    metrics.add_metric(name="CasesRestarted", unit=MetricUnit.Count, value=len(result.restarted))
    metrics.add_metric(name="CasesRedriven", unit=MetricUnit.Count, value=len(result.redriven))
    metrics.add_metric(name="CasesGivenUp", unit=MetricUnit.Count, value=len(result.given_up))
    return result


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    case_id = event.get("case_id") or (event.get("state") or {}).get("case_id") if isinstance(event, dict) else None
    logger.set_correlation_id(case_id)
    return worker.dispatch(event, context)
