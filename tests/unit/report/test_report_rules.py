"""Decision rules and policy validation, exhaustively over small panels."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from quorum_common.errors import InvalidInput
from quorum_report.domain.case import Tally
from quorum_report.domain.policy import Policy, PolicyRules, default_policies, default_policy, new_version
from quorum_report.domain.rules import final_rule, plan_after_round, plan_for_empty_draw, winner

NOW = datetime(2025, 3, 1, tzinfo=UTC)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    panel = draw(st.integers(1, 9))
    to_win = draw(st.integers(panel // 2 + 1, panel))
    return Policy(module="listing", version=1, panel_size=panel, votes_to_win=to_win, vote_window_seconds=60,
                  substitute_rounds=draw(st.integers(0, 3)), min_votes=draw(st.integers(1, panel)))


@st.composite
def policy_and_tally(draw: st.DrawFn) -> tuple[Policy, Tally]:
    policy = draw(policies())
    violation = draw(st.integers(0, policy.panel_size))
    no_violation = draw(st.integers(0, policy.panel_size - violation))
    return policy, Tally(violation=violation, no_violation=no_violation)


def test_seventeen_seats_nine_to_win_is_a_valid_policy() -> None:
    policy = new_version("listing", PolicyRules(panel_size=17, votes_to_win=9, vote_window_seconds=3600), 2, NOW, "ops")
    assert (policy.panel_size, policy.votes_to_win, policy.version, policy.min_votes) == (17, 9, 2, 9)


def test_thirty_one_seats_simple_majority_is_a_valid_policy() -> None:
    assert new_version("post", PolicyRules(panel_size=31, votes_to_win=16, vote_window_seconds=60), 2, NOW, "o")


@pytest.mark.parametrize(("panel", "to_win", "field"), [(8, 4, "votes_to_win"), (5, 2, "votes_to_win"),
                                                        (5, 6, "votes_to_win")])
def test_votes_to_win_must_be_a_majority_within_the_panel(panel: int, to_win: int, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        new_version("listing", PolicyRules(panel_size=panel, votes_to_win=to_win, vote_window_seconds=60), 2, NOW, "o")
    assert raised.value.code == "invalid_policy"
    assert raised.value.details[0]["field"] == field


def test_min_votes_cannot_exceed_the_panel() -> None:
    with pytest.raises(InvalidInput):
        new_version("listing", PolicyRules(panel_size=3, votes_to_win=2, vote_window_seconds=60, min_votes=4), 2, NOW, "o")


@pytest.mark.parametrize("window", [0, 7 * 86400 + 1])
def test_windows_run_from_one_second_to_seven_days(window: int) -> None:
    with pytest.raises(ValidationError):
        PolicyRules(panel_size=3, votes_to_win=2, vote_window_seconds=window)
    assert PolicyRules(panel_size=3, votes_to_win=2, vote_window_seconds=1)
    assert PolicyRules(panel_size=3, votes_to_win=2, vote_window_seconds=7 * 86400)


def test_defaults_follow_the_architecture_table() -> None:
    table = {p.module: (p.panel_size, p.votes_to_win, p.vote_window_seconds // 3600, p.substitute_rounds,
                        p.reviewer_tags) for p in default_policies()}
    assert table == {"listing": (5, 3, 24, 2, ()), "post": (5, 3, 24, 2, ()), "comment": (3, 2, 12, 2, ()),
                     "chat": (5, 3, 24, 2, ("trusted",)), "review": (3, 2, 12, 2, ())}


@given(policy_and_tally())
def test_winner_needs_votes_to_win_and_there_is_never_more_than_one(case: tuple[Policy, Tally]) -> None:
    policy, tally = case
    won = winner(tally, policy.votes_to_win)
    reached = [side for side in ("violation", "no_violation") if tally.of(side) >= policy.votes_to_win]
    assert len(reached) <= 1
    assert won == (reached[0] if reached else None)


@given(policy_and_tally(), st.integers(1, 5))
def test_a_closed_round_decides_only_on_a_win_or_by_the_final_rule(case: tuple[Policy, Tally], closed: int) -> None:
    policy, tally = case
    plan = plan_after_round(policy, tally, closed)
    won = winner(tally, policy.votes_to_win)
    missing = policy.panel_size - tally.total
    if won:
        assert (plan.next, plan.decision) == ("decide", won)
    elif missing and closed <= policy.substitute_rounds:
        assert (plan.next, plan.seats_needed) == ("substitute", missing)
    else:
        assert plan.next in {"decide", "escalate"}
        assert plan.decision == final_rule(tally, policy.min_votes)
    if plan.decision and not won:
        assert tally.total >= policy.min_votes and tally.of(plan.decision) > tally.total - tally.of(plan.decision)


@given(policy_and_tally())
def test_an_empty_first_draw_escalates_at_once(case: tuple[Policy, Tally]) -> None:
    policy, tally = case
    assert plan_for_empty_draw(policy, Tally(), 1).next == "escalate"
    assert plan_for_empty_draw(policy, tally, 2).next in {"decide", "escalate"}


def test_final_rule_needs_min_votes_and_a_strict_lead() -> None:
    assert final_rule(Tally(violation=2, no_violation=1), 3) == "violation"
    assert final_rule(Tally(violation=1, no_violation=2), 3) == "no_violation"
    assert final_rule(Tally(violation=2, no_violation=0), 3) is None
    assert final_rule(Tally(violation=2, no_violation=2), 3) is None


def test_a_policy_version_is_frozen() -> None:
    with pytest.raises(ValidationError):
        default_policy("listing").panel_size = 9  # type: ignore[misc]
