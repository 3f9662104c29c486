"""Reward arithmetic: points per vote, consensus bonus, daily cap - as properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from reward_fakes import FakeClock, FakeRewardStore

from quorum_common.vocabulary import utc_day
from quorum_reward.domain.grants import Vote, capped_points, unique_voters, vote_points
from quorum_reward.domain.rules import DEFAULT_RULE, RewardRule
from quorum_reward.service.grants import GrantRewards, grant_rewards

verdicts = st.sampled_from(["violation", "no_violation"])
rules = st.builds(RewardRule, points_per_vote=st.integers(0, 100), consensus_bonus=st.integers(0, 100),
                  daily_cap=st.integers(0, 500))


@given(rule=rules, verdict=verdicts, decision=verdicts)
def test_a_vote_earns_the_bonus_exactly_when_it_matches_the_decision(rule, verdict, decision):
    earned = vote_points(rule, verdict, decision)
    expected_bonus = rule.consensus_bonus if verdict == decision else 0
    assert earned == rule.points_per_vote + expected_bonus


@given(earned=st.integers(0, 1000), today=st.integers(0, 1000), cap=st.integers(0, 1000))
def test_capped_points_never_exceed_what_was_earned_nor_what_the_day_allows(earned, today, cap):
    points = capped_points(earned, today, cap)
    assert 0 <= points <= earned
    assert points == 0 or today + points <= cap
    if today + earned <= cap:
        assert points == earned


def test_the_default_rule_is_ten_per_vote_five_bonus_and_a_cap_of_two_hundred():
    assert DEFAULT_RULE == RewardRule(points_per_vote=10, consensus_bonus=5, daily_cap=200)


@pytest.mark.parametrize("field,value", [("points_per_vote", -1), ("consensus_bonus", -5), ("daily_cap", -1)])
def test_a_rule_with_negative_points_or_cap_is_refused(field, value):
    fields = {"points_per_vote": 10, "consensus_bonus": 5, "daily_cap": 200, field: value}
    with pytest.raises(ValidationError):
        RewardRule(**fields)


@given(rule=rules, decisions=st.lists(st.tuples(verdicts, verdicts), min_size=1, max_size=30))
def test_one_reviewer_earns_at_most_the_daily_cap_on_one_day(rule, decisions):
    # Given one reviewer voting on many cases of one module decided the same UTC day
    store, clock = FakeRewardStore(), FakeClock()
    store.save_rule("post", rule, clock())
    decided = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    # When every case is rewarded
    points = [grant_rewards(GrantRewards(case_id=f"c{i}", module="post", decision=decision, decided_at=decided,
                                         votes=[Vote(reviewer_id="r1", verdict=verdict)]), store, store, clock)
              .granted[0].points for i, (verdict, decision) in enumerate(decisions)]
    # Then each grant takes what it earned until the cap, the cap is never passed, and the balance matches
    earned = [vote_points(rule, v, d) for v, d in decisions]
    expected, running = [], 0
    for e in earned:
        expected.append(min(e, rule.daily_cap - running))
        running += expected[-1]
    assert points == expected
    assert sum(points) == min(sum(earned), rule.daily_cap)
    assert store.balance("r1") == sum(points)


def test_the_cap_counts_per_utc_day_of_the_decision_not_of_the_grant():
    # Given a cap of 15 and two cases decided 1 s apart, either side of midnight UTC (08:00 in UTC+8)
    store, clock = FakeRewardStore(), FakeClock()
    store.save_rule("listing", RewardRule(points_per_vote=10, consensus_bonus=5, daily_cap=15), clock())
    before = datetime(2025, 3, 1, 23, 59, 59, tzinfo=UTC)
    after = (before + timedelta(seconds=1)).astimezone(timezone(timedelta(hours=8)))
    # When both are rewarded
    results = [grant_rewards(GrantRewards(case_id=case, module="listing", decision="violation", decided_at=at,
                                          votes=[Vote(reviewer_id="r1", verdict="violation")]), store, store, clock)
               for case, at in (("c1", before), ("c2", after))]
    # Then each day gets its own cap
    assert [r.granted[0].points for r in results] == [15, 15]
    assert utc_day(after) == "2025-03-02"


def test_a_naive_decision_time_is_read_as_utc():
    assert utc_day(datetime(2025, 3, 1, 23, 30)) == "2025-03-01"


@given(votes=st.lists(st.builds(Vote, reviewer_id=st.sampled_from(["a", "b", "c"]), verdict=verdicts), max_size=10))
def test_each_reviewer_counts_once_with_their_first_vote(votes):
    unique = unique_voters(votes)
    assert [v.reviewer_id for v in unique] == list(dict.fromkeys(v.reviewer_id for v in votes))
    assert all(v == next(w for w in votes if w.reviewer_id == v.reviewer_id) for v in unique)
