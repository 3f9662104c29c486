"""The release rules: which alias moves are allowed, what they lead to, and what is refused."""

from __future__ import annotations

import pytest

from quorum_ops.plan import (
    AliasState,
    Move,
    Refused,
    function_name,
    parse_percent,
    parse_version,
    plan_canary,
    plan_promote,
    plan_rollback,
    plan_switch,
    plan_switch_back,
)

LIVE_3 = AliasState("3")
CANARY_4 = AliasState("3", ("4", 10.0))
F = "quorum-prod-reward-worker"


def test_alias_state_reads_and_writes_lambda_weights() -> None:
    state = AliasState.from_alias({"FunctionVersion": "3", "RoutingConfig": {"AdditionalVersionWeights": {"4": 0.1}},
                                   "RevisionId": "r1"})
    assert state == CANARY_4 and state.revision_id == "r1"
    assert state.weights() == {"4": 0.1}
    assert state.describe() == "3 + 4@10%"
    assert AliasState.from_alias({"FunctionVersion": "3"}).describe() == "3"


@pytest.mark.parametrize("given", ["reward-worker", "quorum-prod-reward-worker"])
def test_short_and_full_function_names(given: str) -> None:
    assert function_name("prod", given) == F


@pytest.mark.parametrize("given", ["billing", "quorum-dev-reward-worker", "reward", ""])
def test_unknown_functions_are_refused(given: str) -> None:
    with pytest.raises(Refused, match="unknown function"):
        function_name("prod", given)


def test_versions() -> None:
    assert parse_version("7") == "7"
    assert parse_version("007") == "7"
    with pytest.raises(Refused, match=r"\$LATEST is not a release"):
        parse_version("$LATEST")
    for bad in ("v7", "7.1", "-1", "0", "", "live", "٣"):
        with pytest.raises(Refused, match="malformed version"):
            parse_version(bad)


def test_percentages() -> None:
    assert parse_percent("0") == 0 and parse_percent("12.5") == 12.5 and parse_percent("100") == 100
    for bad in ("ten", "", "nan", "inf", "-0.1", "100.01", "1e3"):
        with pytest.raises(Refused, match="percent must be"):
            parse_percent(bad)


def test_canary_starts_and_reweights_but_never_stacks() -> None:
    assert plan_canary(LIVE_3, "4", 10) == CANARY_4
    assert plan_canary(CANARY_4, "4", 50) == AliasState("3", ("4", 50))
    with pytest.raises(Refused, match="canary of version 4 at 10% is unfinished"):
        plan_canary(CANARY_4, "5", 10)
    with pytest.raises(Refused, match="already live"):
        plan_canary(LIVE_3, "3", 10)


def test_promote_makes_the_canary_live_with_no_routing_left() -> None:
    promoted = plan_promote(CANARY_4)
    assert promoted == AliasState("4") and promoted.weights() == {}
    with pytest.raises(Refused, match="no canary to promote"):
        plan_promote(LIVE_3)


def test_switch_is_refused_during_a_canary_and_to_the_live_version() -> None:
    assert plan_switch(LIVE_3, "5") == AliasState("5")
    with pytest.raises(Refused, match="canary of version 4 is running"):
        plan_switch(CANARY_4, "5")
    with pytest.raises(Refused, match="already live"):
        plan_switch(LIVE_3, "3")


def test_rollback_drops_a_canary_first() -> None:
    assert plan_rollback(CANARY_4, [Move(F, "switch", "1", "3")]) == LIVE_3


def test_rollback_and_switch_back_undo_the_last_switch_once() -> None:
    moves = [Move(F, "switch", "2", "3")]
    assert plan_switch_back(LIVE_3, moves) == AliasState("2")
    assert plan_rollback(LIVE_3, moves) == AliasState("2")
    undone = moves + [Move(F, "switch-back", "3", "2")]
    with pytest.raises(Refused, match="nothing to roll back"):
        plan_switch_back(AliasState("2"), undone)


def test_rollback_undoes_a_promotion_but_switch_back_does_not() -> None:
    moves = [Move(F, "canary", "3", "3"), Move(F, "promote", "3", "4")]
    assert plan_rollback(AliasState("4"), moves) == LIVE_3
    with pytest.raises(Refused, match="no switch is recorded"):
        plan_switch_back(AliasState("4"), moves)


def test_nothing_is_undone_when_live_moved_since_the_recorded_move() -> None:
    with pytest.raises(Refused, match="live is now 5"):
        plan_rollback(AliasState("5"), [Move(F, "switch", "2", "3")])
    with pytest.raises(Refused, match="nothing to roll back"):
        plan_rollback(LIVE_3, [])


def test_a_sticky_canary_moves_no_alias_weight_and_does_not_mix_with_a_weighted_one() -> None:
    sticky = plan_canary(LIVE_3, "4", 10, sticky=True)
    assert sticky == AliasState("3", ("4", 10.0), sticky=True)
    assert sticky.weights() == {} and sticky.describe() == "3 + 4@10% sticky"
    assert plan_canary(sticky, "4", 20, sticky=True).canary == ("4", 20)
    with pytest.raises(Refused, match="a sticky canary of version 4 at 10% is unfinished"):
        plan_canary(sticky, "4", 10)
    with pytest.raises(Refused, match="a canary of version 4 at 10% is unfinished"):
        plan_canary(CANARY_4, "4", 10, sticky=True)
    assert plan_promote(sticky) == AliasState("4") and plan_rollback(sticky, []) == LIVE_3
