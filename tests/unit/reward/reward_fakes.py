"""In-memory doubles of the reward ports, with the same all-or-nothing semantics as DynamoDB.

`FakeRewardStore` implements `RuleRepository`, `LedgerRepository` and `MallRepository` over one
state; a refused write changes nothing. `contend(n)` makes the next n writes lose a race
(`WriteConflict`), as DynamoDB's transaction conflicts would.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from quorum_common.vocabulary import Module
from quorum_reward.domain.errors import (
    AlreadyGranted,
    DailyTotalMoved,
    DuplicateRedemption,
    InsufficientPoints,
    InsufficientStock,
    ItemNotFound,
    PriceChanged,
    WriteConflict,
)
from quorum_reward.domain.grants import CaseGrant, Grant, fits_under_cap
from quorum_reward.domain.ledger import LedgerEntry, can_debit, grant_entry
from quorum_reward.domain.mall import ItemSpec, MallItem, Redemption
from quorum_reward.domain.rules import ModuleRule, RewardRule


class FakeClock:
    """A clock that moves one millisecond per reading, so entries have distinct, ordered times."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


class FakeRewardStore:
    def __init__(self) -> None:
        self.rules: dict[str, ModuleRule] = {}
        self.markers: dict[tuple[str, str], int] = {}
        self.case_grant_rows: dict[tuple[str, str], CaseGrant] = {}
        self.ledger: dict[str, list[LedgerEntry]] = defaultdict(list)
        self.balances: dict[str, int] = {}
        self.day_totals: dict[tuple[str, str, str], int] = {}
        self.catalogue: dict[str, MallItem] = {}
        self.redeemed: dict[str, Redemption] = {}
        self.conflicts_left = 0
        self.writes = 0

    # ------------------------------------------------------------ test controls
    def contend(self, times: int) -> None:
        self.conflicts_left = times

    def snapshot(self) -> dict[str, Any]:
        """Everything stored, to compare before and after a refused write."""
        state = {k: v for k, v in vars(self).items() if k not in ("conflicts_left", "writes")}
        return copy.deepcopy({**state, "ledger": {k: v for k, v in self.ledger.items() if v}})

    def _write(self) -> None:
        self.writes += 1
        if self.conflicts_left:
            self.conflicts_left -= 1
            raise WriteConflict("fake contention")

    # ------------------------------------------------------------ RuleRepository
    def stored_rules(self) -> list[ModuleRule]:
        return list(self.rules.values())

    def stored_rule(self, module: Module) -> ModuleRule | None:
        return self.rules.get(module)

    def save_rule(self, module: Module, rule: RewardRule, now: datetime) -> ModuleRule:
        old = self.rules.get(module)
        if old is None or RewardRule(**old.model_dump(include=set(RewardRule.model_fields))) != rule:
            version = old.version + 1 if old else 1
            self.rules[module] = ModuleRule(module=module, version=version, updated_at=now, **rule.model_dump())
        return self.rules[module]

    # ------------------------------------------------------------ LedgerRepository
    def granted_on(self, reviewer_id: str, module: Module, day: str) -> int:
        return self.day_totals.get((reviewer_id, day, module), 0)

    def record_grant(self, grant: Grant, daily_cap: int) -> None:
        self._write()
        marker = (grant.case_id, grant.reviewer_id)
        if marker in self.markers:
            raise AlreadyGranted(self.markers[marker])
        day_key = (grant.reviewer_id, grant.day, grant.module)
        if grant.points and not fits_under_cap(self.day_totals.get(day_key, 0), grant.points, daily_cap):
            raise DailyTotalMoved()
        self.markers[marker] = grant.points
        self.case_grant_rows[marker] = CaseGrant(reviewer_id=grant.reviewer_id, points=grant.points,
                                                 granted_at=grant.granted_at)
        self._append(grant_entry(grant))
        if grant.points:
            self.day_totals[day_key] = self.day_totals.get(day_key, 0) + grant.points

    def balance(self, user_id: str) -> int:
        return self.balances.get(user_id, 0)

    def case_grants(self, case_id: str) -> list[CaseGrant]:
        return [g for (case, _), g in self.case_grant_rows.items() if case == case_id]

    def entries(self, user_id: str, limit: int) -> list[LedgerEntry]:
        return sorted(self.ledger.get(user_id, []), key=lambda e: e.created_at, reverse=True)[:limit]

    def _append(self, entry: LedgerEntry) -> None:
        self.ledger[entry.user_id].append(entry)
        self.balances[entry.user_id] = self.balances.get(entry.user_id, 0) + entry.points

    # ------------------------------------------------------------ MallRepository
    def items(self) -> list[MallItem]:
        return list(self.catalogue.values())

    def item(self, item_id: str) -> MallItem | None:
        return self.catalogue.get(item_id)

    def save_item(self, item_id: str, spec: ItemSpec, now: datetime) -> MallItem:
        old = self.catalogue.get(item_id)
        if old is None or ItemSpec(**old.model_dump(include=set(ItemSpec.model_fields))) != spec:
            version = old.version + 1 if old else 1
            self.catalogue[item_id] = MallItem(item_id=item_id, version=version, updated_at=now, **spec.model_dump())
        return self.catalogue[item_id]

    def record_redemption(self, redemption: Redemption, entry: LedgerEntry) -> None:
        self._write()
        self._check_redemption(redemption)
        item = self.catalogue[redemption.item_id]
        self.catalogue[item.item_id] = item.model_copy(update={"stock": item.stock - redemption.quantity})
        self.redeemed[redemption.redemption_id] = redemption
        self._append(entry)

    def _check_redemption(self, r: Redemption) -> None:
        if r.redemption_id in self.redeemed:
            raise DuplicateRedemption(self.redeemed[r.redemption_id])
        item = self.catalogue.get(r.item_id)
        if item is None:
            raise ItemNotFound("gone")
        if item.cost_points != r.unit_cost:
            raise PriceChanged()
        if item.stock < r.quantity:
            raise InsufficientStock("no stock")
        if not can_debit(self.balances.get(r.user_id, 0), r.cost_points):
            raise InsufficientPoints("no points")

    def redemptions(self, user_id: str, limit: int) -> list[Redemption]:
        mine = [r for r in self.redeemed.values() if r.user_id == user_id]
        return sorted(mine, key=lambda r: r.created_at, reverse=True)[:limit]
