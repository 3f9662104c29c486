"""QUORUM_FAULTS: the spec's rules, its refusals, and a plan that fails invocations but never forever."""

from __future__ import annotations

import subprocess
import sys

import pytest

from quorum_local.faults import MAX_CONSECUTIVE, FaultPlan, FaultSpecError, parse_seed, parse_spec, plan_from
from quorum_local.template import ROOT

FUNCTIONS = {"reviewer-worker": frozenset({"draw_panel", "release_seat"}),
             "reward-worker": frozenset({"grant_rewards"}), "report-api": frozenset()}


def test_rules_name_a_function_and_an_exact_action_or_every_action() -> None:
    rules = parse_spec(" reviewer-worker:draw_panel=0.3, reward-worker:*=1 ,report-api:*=0,", FUNCTIONS)
    assert rules == {("reviewer-worker", "draw_panel"): 0.3, ("reward-worker", "*"): 1.0, ("report-api", "*"): 0.0}
    assert parse_spec("", FUNCTIONS) == {}


@pytest.mark.parametrize(("spec", "says"), [
    ("reviewer-worker=0.3", "is not <function>:<action>=<share>"),
    ("reviewer-worker:draw_panel", "is not <function>:<action>=<share>"),
    ("reviewer-worker:=0.3", "is not <function>:<action>=<share>"),
    ("reviewr-worker:draw_panel=0.3", "no function 'reviewr-worker'"),
    ("reviewer-worker:draw=0.3", "its actions are draw_panel, release_seat"),
    ("report-api:list=0.3", "its actions are none: use *"),
    ("reviewer-worker:draw_panel=lots", "is not a number"),
    ("reviewer-worker:draw_panel=1.5", "between 0 and 1"),
])
def test_a_rule_that_cannot_be_read_is_refused_with_the_reason(spec: str, says: str) -> None:
    with pytest.raises(FaultSpecError, match=says):
        parse_spec(spec, FUNCTIONS)


def test_the_seed_is_an_integer() -> None:
    assert parse_seed(None) == 0 and parse_seed("42") == 42
    with pytest.raises(FaultSpecError, match="QUORUM_FAULTS_SEED"):
        parse_seed("forty-two")


def test_an_exact_action_rule_wins_over_every_action_and_other_functions_never_fail() -> None:
    plan = FaultPlan({("reviewer-worker", "draw_panel"): 0.0, ("reviewer-worker", "*"): 1.0})
    assert not plan.strikes("reviewer-worker", {"action": "draw_panel"}, "a")
    assert plan.strikes("reviewer-worker", {"action": "release_seat"}, "b")
    assert not plan.strikes("reward-worker", {"action": "grant_rewards"}, "c")


def test_one_invocation_key_never_fails_more_than_three_times_in_a_row() -> None:
    plan = FaultPlan({("reward-worker", "*"): 1.0})
    event = {"action": "grant_rewards"}
    tries = [plan.strikes("reward-worker", event, "case-1") for _ in range(2 * (MAX_CONSECUTIVE + 1))]
    assert tries == ([True] * MAX_CONSECUTIVE + [False]) * 2
    assert plan.injected == 2 * MAX_CONSECUTIVE


def test_the_same_seed_fails_the_same_invocations() -> None:
    def run(seed: int) -> list[bool]:
        plan = plan_from({"QUORUM_FAULTS": "reward-worker:*=0.5", "QUORUM_FAULTS_SEED": str(seed)}, FUNCTIONS)
        return [plan.strikes("reward-worker", {"action": "grant_rewards"}, f"k{i}") for i in range(40)]
    assert run(7) == run(7) and run(7) != run(8)
    assert 5 < sum(run(7)) < 35


def test_quorum_local_run_stops_with_exit_2_on_a_spec_it_cannot_read() -> None:
    env = {"PATH": "/usr/bin:/bin", "QUORUM_FAULTS": "reviewer-worker:draw=0.3", "QUORUM_API_PORT": "0",
           "QUORUM_AWS_PORT": "0"}
    done = subprocess.run([sys.executable, "-m", "quorum_local.cli", "run", "--no-seed"], cwd=ROOT / "infra", env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "error: QUORUM_FAULTS: 'reviewer-worker:draw=0.3': reviewer-worker has no action 'draw'" in done.stderr
    assert "draw_panel" in done.stderr
