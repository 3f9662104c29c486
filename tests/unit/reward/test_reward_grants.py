"""Exactly-once grants: one ledger entry per (case, reviewer), whatever is redelivered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reward_fakes import FakeClock, FakeRewardStore

from quorum_common.errors import TransientError
from quorum_common.vocabulary import UnknownModule
from quorum_reward.domain.grants import Vote
from quorum_reward.domain.rules import RewardRule
from quorum_reward.service.grants import MAX_ATTEMPTS, GrantRewards, grant_rewards

DECIDED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
verdicts = st.sampled_from(["violation", "no_violation"])
votes = st.lists(st.builds(Vote, reviewer_id=st.sampled_from(["r1", "r2", "r3", "r4"]), verdict=verdicts), max_size=8)


def decided(case_id: str = "c1", vote_list: list[Vote] | None = None, decision: str = "violation",
            module: str = "listing") -> GrantRewards:
    vote_list = vote_list if vote_list is not None else [Vote(reviewer_id="r1", verdict="violation"),
                                                         Vote(reviewer_id="r2", verdict="no_violation")]
    return GrantRewards(case_id=case_id, module=module, decision=decision, decided_at=DECIDED, votes=vote_list)


def test_voters_get_points_per_vote_and_the_bonus_only_when_they_matched():
    store = FakeRewardStore()
    summary = grant_rewards(decided(), store, store, FakeClock())
    assert {g.reviewer_id: g.points for g in summary.granted} == {"r1": 15, "r2": 10}
    assert summary.already_granted == []
    assert (store.balance("r1"), store.balance("r2")) == (15, 10)


@given(vote_list=votes, deliveries=st.integers(1, 5))
def test_any_number_of_deliveries_leaves_one_entry_per_voter(vote_list, deliveries):
    # Given one decision delivered several times (retries, duplicates)
    store, clock = FakeRewardStore(), FakeClock()
    summaries = [grant_rewards(decided(vote_list=vote_list), store, store, clock) for _ in range(deliveries)]
    voters = {v.reviewer_id for v in vote_list}
    # Then each voter has exactly one entry, and later deliveries report the same points as already granted
    for voter in voters:
        assert len(store.entries(voter, 100)) == 1
    first = {g.reviewer_id: g.points for g in summaries[0].granted}
    assert set(first) == voters
    for later in summaries[1:]:
        assert later.granted == []
        assert {g.reviewer_id: g.points for g in later.already_granted} == first


def test_no_shows_are_not_in_the_votes_and_get_nothing():
    store = FakeRewardStore()
    grant_rewards(decided(vote_list=[Vote(reviewer_id="r1", verdict="violation")]), store, store, FakeClock())
    assert store.entries("absent", 10) == [] and store.balance("absent") == 0


def test_a_grant_trimmed_to_zero_is_still_recorded_so_a_retry_stays_idempotent():
    # Given a reviewer who reached the cap with the first case
    store, clock = FakeRewardStore(), FakeClock()
    store.save_rule("listing", RewardRule(points_per_vote=10, consensus_bonus=5, daily_cap=15), clock())
    grant_rewards(decided("c1", [Vote(reviewer_id="r1", verdict="violation")]), store, store, clock)
    # When a second case the same day is rewarded twice
    first = grant_rewards(decided("c2", [Vote(reviewer_id="r1", verdict="violation")]), store, store, clock)
    again = grant_rewards(decided("c2", [Vote(reviewer_id="r1", verdict="violation")]), store, store, clock)
    # Then it is recorded once with 0 points, and the retry knows it happened
    assert [g.points for g in first.granted] == [0]
    assert [(g.reviewer_id, g.points) for g in again.already_granted] == [("r1", 0)]
    assert [e.points for e in store.entries("r1", 10)] == [0, 15]


def test_grants_use_the_rule_stored_now_and_the_default_when_none_is():
    store, clock = FakeRewardStore(), FakeClock()
    assert grant_rewards(decided("c1"), store, store, clock).granted[0].points == 15
    store.save_rule("listing", RewardRule(points_per_vote=1, consensus_bonus=2, daily_cap=100), clock())
    assert grant_rewards(decided("c2"), store, store, clock).granted[0].points == 3


def test_lost_races_are_retried_and_still_give_one_entry():
    store = FakeRewardStore()
    store.contend(MAX_ATTEMPTS - 1)
    summary = grant_rewards(decided(vote_list=[Vote(reviewer_id="r1", verdict="violation")]), store, store,
                            FakeClock())
    assert [g.points for g in summary.granted] == [15]
    assert len(store.entries("r1", 10)) == 1


def test_endless_contention_raises_transient_error_and_stores_nothing():
    store = FakeRewardStore()
    before = store.snapshot()
    store.contend(10 * MAX_ATTEMPTS)
    with pytest.raises(TransientError):
        grant_rewards(decided(), store, store, FakeClock())
    assert store.snapshot() == before


def test_a_grant_overtaken_between_read_and_write_is_recomputed_under_the_cap():
    # Given a cap of 20, 15 already granted today, and a first read of the day total that is stale (0)
    store, clock = FakeRewardStore(), FakeClock()
    store.save_rule("post", RewardRule(points_per_vote=10, consensus_bonus=5, daily_cap=20), clock())
    grant_rewards(decided("earlier", [Vote(reviewer_id="r1", verdict="violation")], module="post"), store, store, clock)
    reads = iter([0])
    real_granted_on = store.granted_on
    store.granted_on = lambda *key: next(reads, real_granted_on(*key))  # type: ignore[method-assign]
    # When another case is rewarded
    summary = grant_rewards(decided("mine", [Vote(reviewer_id="r1", verdict="violation")], module="post"),
                            store, store, clock)
    # Then the write refused the stale total, the grant was recomputed, and the cap holds
    assert [g.points for g in summary.granted] == [5]
    assert store.balance("r1") == 20


def test_an_unknown_module_is_refused():
    store = FakeRewardStore()
    with pytest.raises(UnknownModule):
        grant_rewards(GrantRewards.model_construct(case_id="c", module="forum", decision="violation",
                                                   decided_at=DECIDED, votes=[]), store, store, FakeClock())
