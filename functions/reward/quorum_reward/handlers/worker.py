"""Actions of the reward capability (state-machine tasks and RPC): `grant_rewards`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from quorum_common.errors import InvalidInput, UnknownAction
from quorum_common.observability import observability
from quorum_reward.handlers import wiring
from quorum_reward.service.grants import GrantRewards, grant_rewards

logger, metrics, tracer = observability("reward")


def grant(event: dict[str, Any]) -> dict[str, Any]:
    """Reward each voter of a decided case exactly once; returns `{granted, already_granted}`."""
    command = _grant_command(event)
    logger.set_correlation_id(command.case_id)
    summary = grant_rewards(command, wiring.rules(), wiring.ledger(), wiring.utcnow)
    metrics.add_metric(name="RewardsGranted", unit=MetricUnit.Count, value=len(summary.granted))
    metrics.add_metric(name="PointsGranted", unit=MetricUnit.Count, value=sum(g.points for g in summary.granted))
    logger.info("rewards granted", extra={"granted": len(summary.granted),
                                          "already_granted": len(summary.already_granted)})
    return summary.model_dump()


def _grant_command(event: dict[str, Any]) -> GrantRewards:
    try:
        return GrantRewards.model_validate(event)
    except ValidationError as exc:
        details = [{"field": ".".join(map(str, err["loc"])), "message": err["msg"]} for err in exc.errors()]
        raise InvalidInput("Malformed grant_rewards event.", code="invalid_grant_request", details=details) from exc


ACTIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"grant_rewards": grant}


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    action = event.get("action") if isinstance(event, dict) else None
    if action not in ACTIONS:
        raise UnknownAction(f"Unknown action {action!r}; expected one of {sorted(ACTIONS)}.")
    return ACTIONS[action](event)
