"""Routes of reward rules (ops)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from quorum_common.http import QuorumRouter, allow
from quorum_common.vocabulary import Module, utc_now
from quorum_reward.domain.rules import RewardRule
from quorum_reward.handlers import wiring
from quorum_reward.handlers.schemas import RewardRuleRequest, RewardRulesView, RewardRuleView
from quorum_reward.service import rules

router = QuorumRouter()


@router.get("/v1/reward-rules")
@allow("ops")
def list_reward_rules() -> RewardRulesView:
    """The rule in force for every module (`source: default` where ops stored none)."""
    return RewardRulesView(rules=[RewardRuleView.of(r) for r in rules.list_rules(wiring.rules())])


@router.put("/v1/reward-rules/<module>")
@allow("ops")
def put_reward_rule(module: Annotated[Module, Path()], body: RewardRuleRequest) -> RewardRuleView:
    """Store a module's rule; an unknown module is 422 `unknown_module`. Grants use it from now on."""
    stored = rules.put_rule(module, RewardRule(**body.model_dump()), wiring.rules(), utc_now())
    return RewardRuleView.of(stored)
