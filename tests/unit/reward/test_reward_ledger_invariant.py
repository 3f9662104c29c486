"""The ledger invariant under any sequence of grants and redemptions (hypothesis state machine):
balance == sum of entries, never negative; stock never negative; a refused debit changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from reward_fakes import FakeClock, FakeRewardStore

from quorum_common.errors import QuorumError
from quorum_reward.domain.grants import Vote
from quorum_reward.domain.ledger import balance_of
from quorum_reward.domain.mall import ItemSpec
from quorum_reward.domain.rules import RewardRule
from quorum_reward.service.grants import GrantRewards, grant_rewards
from quorum_reward.service.mall import Redeem, redeem

USERS = ("u1", "u2", "u3")
ITEMS = ("cheap", "dear", "ghost")  # "ghost" is never stocked
verdicts = st.sampled_from(["violation", "no_violation"])


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store, self.clock = FakeRewardStore(), FakeClock()
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


TestLedgerInvariant = LedgerMachine.TestCase
TestLedgerInvariant.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
