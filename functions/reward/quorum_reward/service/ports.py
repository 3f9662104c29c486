"""What the reward use cases need from storage. Adapters implement these; tests use fakes.

A repository reports a lost race with the storage signals of `quorum_reward.domain.errors`
(`WriteConflict`, `AlreadyGranted`, `DailyTotalMoved`, `PriceChanged`, `DuplicateRedemption`)
and a refused debit with the caller errors (`InsufficientPoints`, `InsufficientStock`,
`ItemNotFound`). A refused write changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from quorum_common.vocabulary import Module
from quorum_reward.domain.grants import CaseGrant, Grant
from quorum_reward.domain.ledger import LedgerEntry
from quorum_reward.domain.mall import ItemSpec, MallItem, Redemption
from quorum_reward.domain.rules import ModuleRule, RewardRule


class RuleRepository(Protocol):
    def stored_rules(self) -> list[ModuleRule]:
        """Every rule ops have stored (modules without one are absent)."""

    def stored_rule(self, module: Module) -> ModuleRule | None:
        """The rule stored for `module`, if any."""

    def save_rule(self, module: Module, rule: RewardRule, now: datetime) -> ModuleRule:
        """Store `rule` (a new version unless it equals the stored one) and return what is stored."""


class LedgerRepository(Protocol):
    def granted_on(self, reviewer_id: str, module: Module, day: str) -> int:
        """Points granted to `reviewer_id` for `module` cases decided on UTC `day`."""

    def record_grant(self, grant: Grant, daily_cap: int) -> None:
        """Atomically: the (case, reviewer) marker, the ledger entry, the balance and the day total.

        Raises `AlreadyGranted` if the marker exists, `DailyTotalMoved` if the day total has grown
        so that `grant.points` no longer fits under `daily_cap`, `WriteConflict` on contention.
        """

    def case_grants(self, case_id: str) -> list[CaseGrant]:
        """Every grant of one case (one per voter), in no particular order."""

    def balance(self, user_id: str) -> int:
        """The user's current balance (0 if they never had an entry)."""

    def entries(self, user_id: str, limit: int) -> list[LedgerEntry]:
        """The user's newest `limit` ledger entries, newest first."""


class MallRepository(Protocol):
    def items(self) -> list[MallItem]:
        """The catalogue."""

    def item(self, item_id: str) -> MallItem | None:
        """One item, if it exists."""

    def save_item(self, item_id: str, spec: ItemSpec, now: datetime) -> MallItem:
        """Create or update an item and return what is stored."""

    def record_redemption(self, redemption: Redemption, entry: LedgerEntry) -> None:
        """Atomically: debit balance and stock, write the ledger entry and the redemption.

        Raises `InsufficientPoints`, `InsufficientStock`, `ItemNotFound`, `PriceChanged`,
        `DuplicateRedemption` or `WriteConflict`; nothing is written when it raises.
        """

    def redemptions(self, user_id: str, limit: int) -> list[Redemption]:
        """The user's newest `limit` redemptions, newest first."""
