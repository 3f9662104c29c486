"""The reward worker: `grant_rewards` (a state-machine task) and `case_grants` (RPC from the report API)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from quorum_common.errors import UnknownAction
from quorum_common.observability import observability
from quorum_common.vocabulary import utc_now
from quorum_common.worker import Worker
from quorum_reward.handlers import wiring
from quorum_reward.handlers.schemas import CaseGrants, CaseGrantsTask, GrantRewardsTask
from quorum_reward.service.grants import GrantSummary, grant_rewards

__all__ = ["UnknownAction", "handler", "worker"]  # tests catch UnknownAction from here

logger, metrics, tracer = observability("reward")
worker = Worker("reward", logger, invalid_code="invalid_grant_request")


@worker.action
def grant(task: GrantRewardsTask, context: Any) -> GrantSummary:
    """Reward each voter of a decided case exactly once."""
    logger.set_correlation_id(task.case_id)
    summary = grant_rewards(task, wiring.rules(), wiring.ledger(), utc_now)
    metrics.add_metric(name="RewardsGranted", unit=MetricUnit.Count, value=len(summary.granted))
    metrics.add_metric(name="PointsGranted", unit=MetricUnit.Count, value=sum(g.points for g in summary.granted))
    logger.info("rewards granted", extra={"granted": len(summary.granted),
                                          "already_granted": len(summary.already_granted)})
    return summary


@worker.action
def case_grants(task: CaseGrantsTask, context: Any) -> CaseGrants:
    """The grants of one case, oldest first (the ops timeline shows them)."""
    grants = sorted(wiring.ledger().case_grants(task.case_id), key=lambda g: (g.granted_at, g.reviewer_id))
    return CaseGrants(case_id=task.case_id, grants=grants)


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return worker.dispatch(event, context)
