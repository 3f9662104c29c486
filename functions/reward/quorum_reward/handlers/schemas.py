"""Request and response bodies of the reward API (the public contract, ARCHITECTURE.md §3), and the
worker's input (the `GrantRewards` state of `infra/statemachines/voting.asl.json`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from quorum_common.vocabulary import EntityId
from quorum_common.worker import Result, Task
from quorum_reward.domain.grants import CaseGrant
from quorum_reward.domain.ledger import LedgerEntry
from quorum_reward.domain.mall import ITEM_ID_PATTERN, MAX_COST, MAX_QUANTITY, MAX_STOCK, MallItem, Redemption
from quorum_reward.domain.rules import MAX_DAILY_CAP, MAX_POINTS, ModuleRule
from quorum_reward.service.grants import GrantRewards

MAX_PAGE = 100


class Edge(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RewardRuleRequest(Edge):
    """`PUT /v1/reward-rules/{module}`: every field required, no negative points, cap >= 0."""

    points_per_vote: StrictInt = Field(ge=0, le=MAX_POINTS)
    consensus_bonus: StrictInt = Field(ge=0, le=MAX_POINTS)
    daily_cap: StrictInt = Field(ge=0, le=MAX_DAILY_CAP)


class MallItemRequest(Edge):
    """`PUT /v1/mall/items/{item_id}`: create or update an item."""

    name: str = Field(min_length=1, max_length=100)
    cost_points: StrictInt = Field(ge=1, le=MAX_COST)
    stock: StrictInt = Field(ge=0, le=MAX_STOCK)


class RedemptionRequest(Edge):
    """`POST /v1/mall/redemptions`."""

    item_id: str = Field(pattern=ITEM_ID_PATTERN, max_length=64)
    quantity: StrictInt = Field(ge=1, le=MAX_QUANTITY)


class RewardRuleView(Edge):
    module: str
    points_per_vote: int
    consensus_bonus: int
    daily_cap: int
    version: int
    updated_at: datetime | None
    source: Literal["stored", "default"]

    @classmethod
    def of(cls, rule: ModuleRule) -> RewardRuleView:
        return cls(**rule.model_dump(), source="default" if rule.is_default else "stored")


class RewardRulesView(Edge):
    rules: list[RewardRuleView]


class MallItemsView(Edge):
    items: list[MallItem]


class MyRewardsView(Edge):
    balance: int
    entries: list[LedgerEntry]


class RedemptionsView(Edge):
    redemptions: list[Redemption]


class GrantRewardsTask(Task, GrantRewards):
    """Worker action `grant_rewards`: a decided case and its votes. It answers with `GrantSummary`
    (`{granted, already_granted}`, each `{reviewer_id, points}`), which the state machine keeps in `$.grants`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Literal["grant_rewards"]


class CaseGrantsTask(Task):
    """Worker action `case_grants` (RPC from the report API's case timeline): what a case's voters were granted."""

    action: Literal["case_grants"]
    case_id: EntityId


class CaseGrants(Result):
    case_id: str
    grants: list[CaseGrant]
