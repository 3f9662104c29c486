"""Settings and adapters, built once per cold start on first use (never at import)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import Field

from quorum_common.settings import EnvSettings, load_settings
from quorum_common.vocabulary import utc_now
from quorum_reward.domain.mall import Redemption
from quorum_reward.service.ports import LedgerRepository, MallRepository, RuleRepository

if TYPE_CHECKING:
    from quorum_common.dynamo import Table
    from quorum_reward.service.mall import Redeem

REDEMPTION_KEY_PREFIX = "quorum-reward.redemption"
Redeemer = Callable[["Redeem", Any], Redemption]


class RewardSettings(EnvSettings):
    """What both reward functions read from the environment."""

    reward_table: str = Field(alias="QUORUM_REWARD_TABLE", min_length=3)


class RewardApiSettings(RewardSettings):
    idempotency_table: str = Field(alias="QUORUM_IDEMPOTENCY_TABLE", min_length=3)


@cache
def table() -> Table:
    from quorum_common.dynamo import Table  # the adapters are imported on first use, like boto3

    return Table(load_settings(RewardSettings).reward_table)


@cache
def rules() -> RuleRepository:
    from quorum_reward.adapters.rules_repo import DynamoRuleRepository

    return DynamoRuleRepository(table())


@cache
def ledger() -> LedgerRepository:
    from quorum_reward.adapters.ledger_repo import DynamoLedgerRepository

    return DynamoLedgerRepository(table())


@cache
def mall_repo() -> MallRepository:
    from quorum_reward.adapters.mall_repo import DynamoMallRepository

    return DynamoMallRepository(table())


@cache
def redeemer() -> Redeemer:
    """`service.mall.redeem` at most once per (user, Idempotency-Key) and body within a day."""
    # Imported here: the worker shares this module and must not load Powertools' HTTP modules.
    from quorum_common.idempotency import Idempotent
    from quorum_reward.service import mall

    once = Idempotent(load_settings(RewardApiSettings).idempotency_table, REDEMPTION_KEY_PREFIX, Redemption)

    def redeem(command: Redeem, lambda_context: Any = None) -> Redemption:
        body = command.model_dump(include={"item_id", "quantity"})
        return once(command.user_id, command.idempotency_key, body,
                    lambda: mall.redeem(command, mall_repo(), utc_now), lambda_context)
    return redeem
