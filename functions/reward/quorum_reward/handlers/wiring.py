"""Settings and adapters, built once per cold start on first use (never at import)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from pydantic import Field

from quorum_common.settings import EnvSettings, load_settings
from quorum_reward.adapters.dynamo import Table
from quorum_reward.adapters.ledger_repo import DynamoLedgerRepository
from quorum_reward.adapters.mall_repo import DynamoMallRepository
from quorum_reward.adapters.rules_repo import DynamoRuleRepository
from quorum_reward.handlers.idempotency import IdempotentRedeemer
from quorum_reward.service import mall


class RewardSettings(EnvSettings):
    """What both reward functions read from the environment."""

    reward_table: str = Field(alias="QUORUM_REWARD_TABLE", min_length=3)


class RewardApiSettings(RewardSettings):
    idempotency_table: str = Field(alias="QUORUM_IDEMPOTENCY_TABLE", min_length=3)


def utcnow() -> datetime:
    return datetime.now(UTC)


@cache
def table() -> Table:
    return Table(load_settings(RewardSettings).reward_table)


@cache
def rules() -> DynamoRuleRepository:
    return DynamoRuleRepository(table())


@cache
def ledger() -> DynamoLedgerRepository:
    return DynamoLedgerRepository(table())


@cache
def mall_repo() -> DynamoMallRepository:
    return DynamoMallRepository(table())


@cache
def redeemer() -> IdempotentRedeemer:
    """`service.mall.redeem` behind Powertools Idempotency (used when an Idempotency-Key is sent)."""
    return IdempotentRedeemer(load_settings(RewardApiSettings).idempotency_table,
                              lambda command: mall.redeem(command, mall_repo(), utcnow))
