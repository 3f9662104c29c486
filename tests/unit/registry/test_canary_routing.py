"""Sticky canaries: a stable hash of the user id decides the track, and a user never flips back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quorum_common.discovery import CANARY, STABLE, Instance, canary_share, on_canary, parse_share, pick_instance, user_bucket
from quorum_common.errors import InvalidInput

USERS = [f"user-{n}" for n in range(10_000)]
STABLE_1 = Instance("reviewer-stable", "arn:aws:lambda:us-east-1:1:function:w:live", STABLE, "1")
CANARY_2 = Instance("reviewer-canary", "arn:aws:lambda:us-east-1:1:function:w:2", CANARY, "2", canary_percent=10)


def first(candidates):
    return candidates[0]


@pytest.mark.parametrize("percent", [1, 5, 10, 20, 33.3, 50, 90])
def test_split_over_ten_thousand_users_is_within_one_point_of_the_share(percent: float) -> None:
    share = 100 * sum(on_canary(u, percent) for u in USERS) / len(USERS)
    assert abs(share - percent) <= 1.0


def test_raising_the_share_from_10_to_20_moves_no_user_back_to_stable() -> None:
    at_10 = {u for u in USERS if on_canary(u, 10)}
    at_20 = {u for u in USERS if on_canary(u, 20)}
    assert at_10 <= at_20
    assert len(at_20) > len(at_10)  # and it did move users onto the canary


@given(user=st.text(min_size=1, max_size=40), low=st.floats(0, 100), high=st.floats(0, 100))
def test_a_user_on_the_canary_stays_there_when_the_share_grows(user: str, low: float, high: float) -> None:
    low, high = sorted((low, high))
    assert not on_canary(user, low) or on_canary(user, high)


@given(user=st.text(min_size=1, max_size=40))
def test_the_same_user_always_gets_the_same_bucket(user: str) -> None:
    assert user_bucket(user) == user_bucket(user)
    assert 0 <= user_bucket(user) < 10_000


def test_edges_no_share_anonymous_and_everyone() -> None:
    assert not any(on_canary(u, 0) for u in USERS[:500])
    assert all(on_canary(u, 100) for u in USERS[:500])
    assert not on_canary(None, 100)


@pytest.mark.parametrize("raw, expected", [("10", 10.0), ("2.5", 2.5), (None, 0.0), ("ten", 0.0), ("-1", 0.0),
                                           ("101", 0.0), ("nan", 0.0), ("inf", 0.0)])
def test_a_malformed_registry_share_counts_as_no_canary(raw: str | None, expected: float) -> None:
    assert parse_share(raw) == expected


def test_the_share_comes_from_the_canary_instance() -> None:
    assert canary_share([STABLE_1, CANARY_2]) == 10
    assert canary_share([STABLE_1]) == 0


def test_users_in_the_share_go_to_the_canary_the_rest_to_stable() -> None:
    on = next(u for u in USERS if on_canary(u, 10))
    off = next(u for u in USERS if not on_canary(u, 10))
    assert pick_instance([STABLE_1, CANARY_2], user_id=on, choice=first) == CANARY_2
    assert pick_instance([STABLE_1, CANARY_2], user_id=off, choice=first) == STABLE_1
    assert pick_instance([STABLE_1, CANARY_2], user_id=None, choice=first) == STABLE_1


def test_a_caller_override_replaces_the_registry_share() -> None:
    on = next(u for u in USERS if on_canary(u, 10))
    assert pick_instance([STABLE_1, CANARY_2], user_id=on, canary_percent=0, choice=first) == STABLE_1
    assert pick_instance([STABLE_1, CANARY_2], user_id=USERS[0], canary_percent=100, choice=first) == CANARY_2


def test_a_pinned_track_wins_and_is_strict() -> None:
    off = next(u for u in USERS if not on_canary(u, 10))
    assert pick_instance([STABLE_1, CANARY_2], user_id=off, track=CANARY, choice=first) == CANARY_2
    assert pick_instance([STABLE_1], track=CANARY, choice=first) is None
    with pytest.raises(InvalidInput) as err:
        pick_instance([STABLE_1], track="beta", choice=first)
    assert err.value.code == "unknown_track"


def test_without_the_preferred_track_any_registered_instance_serves() -> None:
    on = next(u for u in USERS if on_canary(u, 10))
    assert pick_instance([STABLE_1], user_id=on, canary_percent=10, choice=first) == STABLE_1
    assert pick_instance([CANARY_2], user_id=None, choice=first) == CANARY_2
    assert pick_instance([], user_id=on, choice=first) is None
