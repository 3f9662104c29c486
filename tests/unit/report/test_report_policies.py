"""Policy versions: each PUT is n+1, the built-ins stand in until ops store one."""

from __future__ import annotations

import pytest
from report_fakes import FakeClock, FakePolicyStore

from quorum_common.errors import InvalidInput
from quorum_report.domain.policy import PolicyRules
from quorum_report.service.policies import PutPolicy, current_policy, list_policies, put_policy


def test_policies_start_at_the_built_in_version_one() -> None:
    listed = list_policies(FakePolicyStore())
    assert [p.module for p in listed] == ["listing", "post", "comment", "chat", "review"]
    assert {p.version for p in listed} == {1}


def test_each_put_stores_the_next_version() -> None:
    store, clock = FakePolicyStore(), FakeClock()
    rules = PolicyRules(panel_size=17, votes_to_win=9, vote_window_seconds=3600, reviewer_tags=("trusted",))
    first = put_policy(PutPolicy("chat", rules, "ops-1"), policies=store, clock=clock)
    second = put_policy(PutPolicy("chat", rules, "ops-2"), policies=store, clock=clock)
    assert (first.version, second.version) == (2, 3)
    assert current_policy("chat", store) == second and second.updated_by == "ops-2"
    assert [p.version for p in list_policies(store) if p.module == "chat"] == [3]


def test_a_refused_policy_stores_nothing() -> None:
    store = FakePolicyStore()
    with pytest.raises(InvalidInput):
        put_policy(PutPolicy("listing", PolicyRules(panel_size=8, votes_to_win=4, vote_window_seconds=60), "o"),
                   policies=store, clock=FakeClock())
    assert store.history == []


def test_booleans_are_not_numbers_in_a_policy() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        PolicyRules(panel_size=True, votes_to_win=True, vote_window_seconds=60)
    assert PolicyRules(panel_size=1, votes_to_win=1, vote_window_seconds=60).panel_size == 1
