"""The ledger invariant under any sequence of grants and redemptions (hypothesis state machine):
balance == sum of entries, never negative; stock never negative; a refused debit changes nothing.

It runs against `FakeRewardStore` and against the DynamoDB repositories that ship, on moto with the
reward table of template.yaml: the conditions the adapters write must keep the same invariant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from reward_fakes import FakeClock, FakeRewardStore

from quorum_common.dynamo import Table, from_item
from quorum_common.errors import QuorumError
from quorum_local.provision import Provisioner
from quorum_local.template import Template
from quorum_reward.adapters.ledger_repo import DynamoLedgerRepository
from quorum_reward.adapters.mall_repo import DynamoMallRepository
from quorum_reward.adapters.rules_repo import DynamoRuleRepository
from quorum_reward.domain.grants import Vote
from quorum_reward.domain.ledger import balance_of
from quorum_reward.domain.mall import ItemSpec, Redemption
from quorum_reward.domain.rules import RewardRule
from quorum_reward.service.grants import GrantRewards, grant_rewards
from quorum_reward.service.mall import Redeem, redeem

USERS = ("u1", "u2", "u3")
ITEMS = ("cheap", "dear", "ghost")  # "ghost" is never stocked
verdicts = st.sampled_from(["violation", "no_violation"])


class WatchedTable(Table):
    """The reward table, counting writes so that a full scan is read again only after one."""

    writes = 0

    def call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        self.writes += operation not in ("get_item", "query")
        return super().call(operation, **kwargs)


class DynamoRewardStore(DynamoRuleRepository, DynamoLedgerRepository, DynamoMallRepository):
    """The three repositories that ship, on one table, with the two views the invariants read."""

    table: WatchedTable
    _scanned: tuple[int, list[dict[str, Any]]] = (-1, [])

    def rows(self) -> list[dict[str, Any]]:
        if self._scanned[0] != self.table.writes:
            pages = self.table.client.get_paginator("scan").paginate(TableName=self.table.name)
            self._scanned = (self.table.writes, sorted((from_item(raw) for page in pages for raw in page["Items"]),
                                                       key=repr))
        return self._scanned[1]

    def snapshot(self) -> list[dict[str, Any]]:
        return self.rows()

    @property
    def redeemed(self) -> dict[str, Redemption]:
        return {row["redemption_id"]: Redemption.model_validate(row)
                for row in self.rows() if row["pk"].startswith("REDEMPTION#")}


def moto_store(request: pytest.FixtureRequest) -> Callable[[], DynamoRewardStore]:
    """A factory of empty stores: the DynamoDB repositories on moto's reward table of template.yaml."""
    request.getfixturevalue("aws")
    template = Template.load("local", overrides={"TracingMode": "PassThrough"})
    Provisioner(template).create_tables()
    table = WatchedTable(template.physical_name("RewardTable"))

    def emptied() -> DynamoRewardStore:
        store = DynamoRewardStore(table)
        table.batch_write(deletes=[{"pk": row["pk"], "sk": row["sk"]} for row in store.rows()])
        return store
    return emptied


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self, new_store: Callable[[], Any] = FakeRewardStore) -> None:
        super().__init__()
        self.store, self.clock = new_store(), FakeClock()
        self.store.save_rule("chat", RewardRule(points_per_vote=7, consensus_bonus=4, daily_cap=60), self.clock())
        self.store.save_item("cheap", ItemSpec(name="Cheap", cost_points=5, stock=6), self.clock())
        self.store.save_item("dear", ItemSpec(name="Dear", cost_points=40, stock=2), self.clock())
        self.cases = 0

    @rule(voters=st.lists(st.tuples(st.sampled_from(USERS), verdicts), max_size=4), decision=verdicts,
          day=st.integers(1, 3), redeliver=st.booleans())
    def decide_a_case(self, voters, decision, day, redeliver):
        self.cases += 1
        command = GrantRewards(case_id=f"case-{self.cases}", module="chat", decision=decision,
                               decided_at=datetime(2025, 3, day, 10, tzinfo=UTC),
                               votes=[Vote(reviewer_id=u, verdict=v) for u, v in voters])
        for _ in range(2 if redeliver else 1):
            grant_rewards(command, self.store, self.store, self.clock)

    @rule(user=st.sampled_from(USERS), item=st.sampled_from(ITEMS), quantity=st.integers(1, 10),
          key=st.one_of(st.none(), st.sampled_from(["k1", "k2"])))
    def redeem_something(self, user, item, quantity, key):
        before = self.store.snapshot()
        try:
            redeem(Redeem(user_id=user, item_id=item, quantity=quantity, idempotency_key=key),
                   self.store, self.clock)
        except QuorumError:
            assert self.store.snapshot() == before  # a refused debit changes nothing

    @invariant()
    def balance_is_the_sum_of_entries_and_never_negative(self):
        for user in USERS:
            entries = self.store.entries(user, 10_000)
            assert self.store.balance(user) == balance_of(entries) >= 0

    @invariant()
    def stock_is_never_negative_and_sold_units_match_redemptions(self):
        for item in self.store.items():
            sold = sum(r.quantity for r in self.store.redeemed.values() if r.item_id == item.item_id)
            initial = {"cheap": 6, "dear": 2}[item.item_id]
            assert item.stock == initial - sold >= 0

    @invariant()
    def one_grant_entry_per_case_and_reviewer(self):
        grants = [(e.case_id, e.user_id) for u in USERS for e in self.store.entries(u, 10_000) if e.kind == "grant"]
        assert len(grants) == len(set(grants))


# moto answers a write in ~16 ms, so its run is shorter: ~2 s an example against the fake's ~10 ms.
@pytest.mark.parametrize(("backend", "examples"), [("fake", 60), ("moto", 10)])
def test_ledger_invariant(backend: str, examples: int, request: pytest.FixtureRequest) -> None:
    new_store = FakeRewardStore if backend == "fake" else moto_store(request)
    run_state_machine_as_test(lambda: LedgerMachine(new_store),
                              settings=settings(max_examples=examples, stateful_step_count=30, deadline=None))
