"""Restarting stuck cases: a new execution resumes where the case stands."""

from __future__ import annotations

from datetime import timedelta

import report_steps as lifecycle  # the steps as JSON, as the state machine sees them
from test_report_lifecycle import World

from quorum_report.domain.policy import Policy
from quorum_report.service.sweeper import Sweep, sweep_stuck_cases

POLICY = Policy(module="listing", version=1, panel_size=3, votes_to_win=2, vote_window_seconds=600,
                substitute_rounds=1, min_votes=2)


def _sweep(world: World, minutes: float = 20):
    world.clock.advance(minutes * 60)
    return sweep_stuck_cases(Sweep(), store=world.store, workflow=world.workflow, clock=world.clock)


def test_a_case_without_an_execution_gets_one_named_after_it() -> None:
    world = World(POLICY)
    case_id = world.report()
    world.workflow.executions.clear()  # the start after intake failed
    assert _sweep(world).restarted == [case_id]
    assert world.workflow.executions == {case_id: "RUNNING"}
    assert _sweep(world).restarted == []  # now it runs


def test_a_dead_execution_is_replaced_once_and_the_case_remembers_it() -> None:
    world = World(POLICY)
    case_id = world.report()
    world.workflow.executions[case_id] = "FAILED"
    assert _sweep(world).restarted == [case_id]
    case = world.store.get_case(case_id)
    assert (case.execution, case.restarts) == (f"{case_id}-r1", 1)
    assert world.workflow.executions[f"{case_id}-r1"] == "RUNNING"
    assert case.timeline[-1].event == "execution_restarted"
    assert _sweep(world).restarted == []


def test_young_and_running_cases_are_left_alone() -> None:
    world = World(POLICY)
    world.report()
    world.workflow.executions.clear()
    assert _sweep(world, minutes=5).checked == 0


def test_a_restarted_execution_resumes_where_the_case_stands() -> None:
    world = World(POLICY)
    case_id = world.report()
    assert lifecycle.load_case(case_id, store=world.store, clock=world.clock)["next"] == "draw"
    lifecycle.open_round(case_id, 1, ["a", "b", "c"], store=world.store, notifier=world.notifier, clock=world.clock)
    world.clock.advance(100)
    resumed = lifecycle.load_case(case_id, store=world.store, clock=world.clock)
    assert (resumed["next"], resumed["round"], resumed["window_seconds"]) == ("await", 1, 500)
    world.vote(case_id, "a", "violation")
    world.vote(case_id, "b", "violation")
    assert lifecycle.load_case(case_id, store=world.store, clock=world.clock)["next"] == "decide"


def test_an_escalated_case_resumes_waiting_for_ops() -> None:
    world = World(POLICY)
    case_id = world.report()
    lifecycle.escalate({"case_id": case_id, "escalation": "no_majority"}, store=world.store,
                       notifier=world.notifier, reviewers=world.reviewers, clock=world.clock)
    assert lifecycle.load_case(case_id, store=world.store, clock=world.clock)["next"] == "await_resolution"


def _decided(world: World) -> str:
    case_id = world.report()
    lifecycle.open_round(case_id, 1, ["a", "b", "c"], store=world.store, notifier=world.notifier, clock=world.clock)
    world.vote(case_id, "a", "violation")
    world.vote(case_id, "b", "violation")
    lifecycle.decide(case_id, store=world.store, notifier=world.notifier, reviewers=world.reviewers,
                     clock=world.clock)
    return case_id


def test_a_decided_case_whose_effects_failed_is_redriven_once() -> None:
    # Given a decided case whose execution ended before its effects completed
    world = World(POLICY)
    case_id = _decided(world)
    world.workflow.executions[case_id] = "FAILED"  # DecisionEffectsFailed
    assert _sweep(world, minutes=5).redriven == []  # decided 5 minutes ago: its retries may still be running
    # When the sweep runs a quarter of an hour later
    swept = _sweep(world)
    # Then a new execution is started once, and resumes at Decide
    assert swept.redriven == [case_id] and swept.restarted == []
    assert world.workflow.executions[f"{case_id}-r1"] == "RUNNING"
    assert _sweep(world).redriven == []
    assert lifecycle.load_case(case_id, store=world.store, clock=world.clock)["next"] == "decide"


def test_a_decided_case_with_its_effects_done_is_left_alone() -> None:
    world = World(POLICY)
    case_id = _decided(world)
    lifecycle.complete_decision(case_id, store=world.store, clock=world.clock)
    world.workflow.executions[case_id] = "SUCCEEDED"
    assert _sweep(world).redriven == []


def _copies(world: World, case_id: str, count: int, **update: object) -> list[str]:
    """`count` copies of a case, each a minute older than the one before, their executions as `update` says."""
    base, state = world.store.get_case(case_id), update.pop("state", "RUNNING")
    ids = [f"{case_id}-copy-{i:03d}" for i in range(count)]
    for i, copy in enumerate(ids):
        older = {"created_at": base.created_at - timedelta(minutes=count - i),
                 "decided_at": base.decided_at and base.decided_at - timedelta(minutes=count - i)}
        world.store.cases[copy] = base.model_copy(update={"case_id": copy, **older, **update})
        world.workflow.executions[copy] = state
    return ids


def test_old_cases_parked_running_do_not_hide_a_younger_stopped_one() -> None:
    # Given 120 escalated cases waiting for ops (running), and a younger escalated one whose execution failed
    world = World(POLICY)
    young = world.report()
    world.store.cases[young] = world.store.get_case(young).model_copy(update={"status": "escalated"})
    _copies(world, young, 120)
    world.workflow.executions[young] = "FAILED"
    # When the sweep runs, Then it reads past the running ones (a page of 100 at a time) and restarts it
    swept = _sweep(world)
    assert (swept.restarted, swept.checked) == ([young], 121)


def test_a_case_restarted_too_often_is_given_up_and_leaves_the_pending_effects() -> None:
    # Given 101 decided cases whose effects failed after 5 restarts, and a younger one failed once
    world = World(POLICY)
    young = _decided(world)
    world.workflow.executions[young] = "FAILED"
    poison = _copies(world, young, 101, restarts=5, state="FAILED")
    # When the sweep runs, Then it gives the 101 up and redrives the younger one
    swept = _sweep(world)
    assert (sorted(swept.given_up), swept.redriven) == (poison, [young])
    assert world.store.get_case(poison[0]).restarts == 5
    assert world.store.get_case(poison[0]).timeline[-1].event == "effects_abandoned"
    # And they are no longer pending: the next sweep neither reads nor reports them
    world.workflow.executions[f"{young}-r1"] = "FAILED"
    again = _sweep(world)
    assert (again.given_up, again.redriven, again.checked) == ([], [young], 1)


def test_an_open_case_restarted_too_often_is_reported_not_restarted() -> None:
    world = World(POLICY)
    case_id = world.report()
    world.store.cases[case_id] = world.store.get_case(case_id).model_copy(update={"restarts": 5})
    world.workflow.executions[case_id] = "FAILED"
    swept = _sweep(world)
    assert (swept.restarted, swept.given_up) == ([], [case_id])
    assert world.store.get_case(case_id).restarts == 5
