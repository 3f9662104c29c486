"""Routes of reward rules (ops)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from quorum_common.auth import caller_from_event
from quorum_reward.domain.rules import RewardRule
from quorum_reward.handlers import wiring
from quorum_reward.handlers.schemas import RewardRuleRequest, RewardRulesView, RewardRuleView
from quorum_reward.service import rules as rules_service

router = Router()


@router.get("/v1/reward-rules")
def list_reward_rules() -> RewardRulesView:
    """The rule in force for every module (`source: default` where ops stored none)."""
    caller_from_event(router.current_event.raw_event).require("ops")
    return RewardRulesView(rules=[RewardRuleView.of(r) for r in rules_service.list_rules(wiring.rules())])


@router.put("/v1/reward-rules/<module>")
def put_reward_rule(module: Annotated[str, Path(max_length=32)], body: RewardRuleRequest) -> RewardRuleView:
    """Store a module's rule; an unknown module is 422 `unknown_module`. Grants use it from now on."""
    caller_from_event(router.current_event.raw_event).require("ops")
    stored = rules_service.put_rule(module, RewardRule(**body.model_dump()), wiring.rules(), wiring.utcnow())
    return RewardRuleView.of(stored)
