"""The whole voting lifecycle through the real use cases and in-memory fakes.

Hypothesis plays the state machine, the reviewer pool and the voters (panel members voting or
not, outsiders and duplicates), over every small panel shape.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import report_steps as lifecycle  # the steps as JSON, as the state machine sees them
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from report_fakes import FakeClock, FakeIds, FakeNotifier, FakePolicyStore, FakeRecusals, FakeReviewers, FakeStore, FakeWorkflow

from quorum_common.errors import QuorumError
from quorum_report.domain.case import Content, Target
from quorum_report.domain.errors import CaseSettled
from quorum_report.domain.policy import Policy
from quorum_report.domain.rules import final_rule
from quorum_report.service.reports import IntakeLimits, SubmitReport, submit_report
from quorum_report.service.voting import CastVote, cast_vote


class World:
    """Fakes wired together, plus the bookkeeping the properties check."""

    def __init__(self, policy: Policy):
        self.store, self.clock, self.workflow = FakeStore(), FakeClock(), FakeWorkflow()
        self.notifier, self.reviewers = FakeNotifier(), FakeReviewers()
        self.policies = FakePolicyStore({policy.module: policy})
        self.accepted: list[tuple[str, str, int]] = []  # (reviewer, verdict, tally of that side after)
        self.settling_votes: list[tuple[str, int]] = []

    def report(self, reporter: str = "reporter-1") -> str:
        cmd = SubmitReport(submitted_by="listing-svc", reporter_id=reporter, reason="fraud",
                           target=Target(module="listing", id="item-1", owner_id="owner-1",
                                         content=Content(text="cheap phone")))
        return submit_report(cmd, store=self.store, policies=self.policies, workflow=self.workflow, recusals=FakeRecusals(),
                             clock=self.clock, new_id=FakeIds(), limits=IntakeLimits()).case_id

    def vote(self, case_id: str, reviewer: str, verdict: str) -> Any:
        try:
            done = cast_vote(CastVote(case_id, reviewer, verdict), store=self.store, workflow=self.workflow,
                             reviewers=self.reviewers, clock=self.clock)
        except QuorumError as exc:
            return exc.code
        tally = self.store.get_case(case_id).tally
        self.accepted.append((reviewer, verdict, tally.of(verdict)))
        if done.settled_case:
            self.settling_votes.append((verdict, tally.of(verdict)))
        return "ok"


@st.composite
def shapes(draw: st.DrawFn) -> Policy:
    panel = draw(st.integers(1, 7))
    return Policy(module="listing", version=3, panel_size=panel, votes_to_win=draw(st.integers(panel // 2 + 1, panel)),
                  vote_window_seconds=60, substitute_rounds=draw(st.integers(0, 2)),
                  min_votes=draw(st.integers(1, panel)))


def run_case(world: World, data: st.DataObject, pool: list[str]) -> tuple[str, str]:
    """Drive one case like voting.asl.json does; returns (case_id, final step)."""
    case_id = world.report()
    state = lifecycle.load_case(case_id, store=world.store, clock=world.clock)
    rnd = data.draw(st.randoms(use_true_random=False))
    while True:
        eligible = [r for r in pool if r not in state["exclude"]]
        drawn = rnd.sample(eligible, min(len(eligible), state["seats_needed"]))
        if data.draw(st.booleans()):
            drawn = drawn + state["exclude"][:2]  # a faulty draw: report must never seat them
        opened = lifecycle.open_round(case_id, state["round"], drawn, store=world.store,
                                      notifier=world.notifier, clock=world.clock)
        step = opened["next"]
        if step == "await":
            step = _await_round(world, data, case_id, opened["round"], pool)
        if step == "substitute":
            state = world.last_close
            continue
        if step == "decide":
            lifecycle.decide(case_id, store=world.store, notifier=world.notifier, reviewers=world.reviewers,
                             clock=world.clock)
        else:
            lifecycle.escalate({"case_id": case_id, "escalation": opened.get("escalation")}, store=world.store,
                               notifier=world.notifier, reviewers=world.reviewers, clock=world.clock)
        return case_id, step


def _await_round(world: World, data: st.DataObject, case_id: str, round_: int, pool: list[str]) -> str:
    token = f"token-{round_}"
    world.workflow.live_tokens.add(token)
    try:
        lifecycle.await_votes(case_id, round_, token, store=world.store)
    except CaseSettled:
        return "decide"
    seated = [s.reviewer_id for s in world.store.list_seats(case_id) if s.round == round_]
    voters = data.draw(st.lists(st.sampled_from(pool + ["outsider-1", "owner-1", "reporter-1"]), max_size=12))
    for reviewer in [*seated, *voters]:
        world.vote(case_id, reviewer, data.draw(st.sampled_from(["violation", "no_violation", "skip"])))
        if any(t == token for t, _ in world.workflow.completed):
            return "decide"
    world.clock.advance(61)
    world.last_close = lifecycle.close_round(case_id, round_, store=world.store, reviewers=world.reviewers,
                                             clock=world.clock)
    return world.last_close["next"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy=shapes(), pool_size=st.integers(0, 12), data=st.data())
def test_every_case_ends_once_by_the_rules_and_never_reinvites(policy: Policy, pool_size: int,
                                                               data: st.DataObject) -> None:
    world = World(policy)
    world.vote = _skipping(world.vote)
    pool = [f"rev-{i}" for i in range(pool_size)]
    case_id, step = run_case(world, data, pool)
    case = world.store.get_case(case_id)
    invited = [inv.reviewer_id for inv in world.notifier.invitations]
    event(f"{step} after round {case.round}")

    # never two decisions, and a decided case is exactly the one announced
    assert len(world.notifier.decided) <= 1
    assert (case.status == "decided") == (len(world.notifier.decided) == 1) == (step == "decide")
    # substitutes never re-invite, and never the reporter or the owner
    assert len(invited) == len(set(invited))
    assert not {"owner-1", "reporter-1"} & set(invited)
    # each accepted vote came from a seated reviewer, once; the tally is exactly those votes
    voters = [r for r, _, _ in world.accepted]
    assert len(voters) == len(set(voters)) and set(voters) <= set(invited)
    assert case.tally.total == len(voters) <= policy.panel_size
    # a decision comes from votes_to_win (at the very vote that reached it) or from the final rule
    if case.status == "decided":
        won = case.tally.of(case.decision) >= policy.votes_to_win
        assert won or case.decision == final_rule(case.tally, policy.min_votes)
    for _side, count in world.settling_votes:
        assert count == policy.votes_to_win
    assert len(world.settling_votes) <= 1
    # no eligible reviewer at all: escalated at once, nobody invited
    if pool_size == 0:
        assert case.status == "escalated" and not invited
    # the deciding vote completed the live token; nothing else was completed
    assert len(world.workflow.completed) <= 1


def _skipping(vote: Any) -> Any:
    def wrapped(case_id: str, reviewer: str, verdict: str) -> Any:
        return None if verdict == "skip" else vote(case_id, reviewer, verdict)
    return wrapped


def test_a_case_keeps_its_policy_version_after_ops_change_it() -> None:
    from quorum_report.domain.policy import PolicyRules
    from quorum_report.service.policies import PutPolicy, put_policy

    world = World(Policy(module="listing", version=3, panel_size=3, votes_to_win=2, vote_window_seconds=60,
                         substitute_rounds=1, min_votes=2))
    case_id = world.report()
    put_policy(PutPolicy("listing", PolicyRules(panel_size=9, votes_to_win=5, vote_window_seconds=60), "ops-1"),
               policies=world.policies, clock=world.clock)
    state = lifecycle.load_case(case_id, store=world.store, clock=world.clock)
    assert world.store.get_case(case_id).policy.version == 3
    assert state["seats_needed"] == 3
    assert world.policies.current("listing").version == 4


def test_a_substitute_round_asks_only_for_the_missing_seats() -> None:
    world = World(Policy(module="listing", version=1, panel_size=5, votes_to_win=3, vote_window_seconds=60,
                         substitute_rounds=2, min_votes=3))
    case_id = world.report()
    lifecycle.open_round(case_id, 1, ["a", "b", "c", "d", "e"], store=world.store, notifier=world.notifier,
                         clock=world.clock)
    assert world.vote(case_id, "a", "violation") == "ok"
    assert world.vote(case_id, "b", "no_violation") == "ok"
    world.clock.advance(61)
    closed = lifecycle.close_round(case_id, 1, store=world.store, reviewers=world.reviewers, clock=world.clock)
    assert closed["next"] == "substitute" and closed["round"] == 2 and closed["seats_needed"] == 3
    assert set(closed["exclude"]) == {"a", "b", "c", "d", "e", "owner-1", "reporter-1"}
    # each seat's fatigue slot is freed exactly once: on the vote, or at the window's end
    assert sorted(r for _, r in world.reviewers.released) == ["a", "b", "c", "d", "e"]
    assert world.reviewers.outcomes == {"a": "voted", "b": "voted", "c": "expired", "d": "expired", "e": "expired"}
    # the substitutes' inbox brief: masked content, the reason, and the round's deadline
    assert closed["content"]["text"] == "cheap phone" and closed["reason"] == "fraud"
    assert closed["deadline"] == (world.clock() + timedelta(seconds=60)).isoformat()
    assert world.vote(case_id, "c", "violation") == "not_invited"  # an expired seat


def test_the_final_rule_decides_when_no_substitute_round_is_left() -> None:
    world = World(Policy(module="listing", version=1, panel_size=5, votes_to_win=3, vote_window_seconds=60,
                         substitute_rounds=0, min_votes=3))
    case_id = world.report()
    lifecycle.open_round(case_id, 1, ["a", "b", "c", "d", "e"], store=world.store, notifier=world.notifier,
                         clock=world.clock)
    for reviewer, verdict in [("a", "violation"), ("b", "violation"), ("c", "no_violation")]:
        world.vote(case_id, reviewer, verdict)
    world.clock.advance(61)
    closed = lifecycle.close_round(case_id, 1, store=world.store, reviewers=world.reviewers, clock=world.clock)
    assert closed["next"] == "decide"
    state = lifecycle.decide(case_id, store=world.store, notifier=world.notifier, reviewers=world.reviewers,
                             clock=world.clock)
    assert state["decision"] == "violation" and state["no_shows"] == ["d", "e"]
    assert state["invited"] == ["a", "b", "c", "d", "e"] and state["cancelled"] == []
    assert world.store.get_case(case_id).settled_by == "final_rule"


def test_decide_is_idempotent_and_tells_the_modules_each_time_it_runs() -> None:
    world = World(Policy(module="listing", version=1, panel_size=1, votes_to_win=1, vote_window_seconds=60,
                         substitute_rounds=0, min_votes=1))
    case_id = world.report()
    lifecycle.open_round(case_id, 1, ["a"], store=world.store, notifier=world.notifier, clock=world.clock)
    world.vote(case_id, "a", "no_violation")
    first = lifecycle.decide(case_id, store=world.store, notifier=world.notifier, reviewers=world.reviewers,
                             clock=world.clock)
    world.clock.advance(5)
    again = lifecycle.decide(case_id, store=world.store, notifier=world.notifier, reviewers=world.reviewers,
                             clock=world.clock)
    assert first == again  # a retried step returns the same decision and time
    assert first["votes"] == [{"reviewer_id": "a", "verdict": "no_violation"}]


def test_escalating_a_decided_case_is_refused() -> None:
    from quorum_report.domain.errors import CaseAlreadyDecided

    world = World(Policy(module="listing", version=1, panel_size=1, votes_to_win=1, vote_window_seconds=60,
                         substitute_rounds=0, min_votes=1))
    case_id = world.report()
    lifecycle.open_round(case_id, 1, ["a"], store=world.store, notifier=world.notifier, clock=world.clock)
    world.vote(case_id, "a", "violation")
    lifecycle.decide(case_id, store=world.store, notifier=world.notifier, reviewers=world.reviewers,
                     clock=world.clock)
    with pytest.raises(CaseAlreadyDecided):
        lifecycle.escalate({"case_id": case_id, "error": {}}, store=world.store, notifier=world.notifier,
                           reviewers=world.reviewers, clock=world.clock)


def test_seats_cut_short_by_an_early_decision_are_no_no_shows() -> None:
    world = World(Policy(module="listing", version=1, panel_size=3, votes_to_win=2, vote_window_seconds=60,
                         substitute_rounds=0, min_votes=2))
    case_id = world.report()
    lifecycle.open_round(case_id, 1, ["a", "b", "c"], store=world.store, notifier=world.notifier, clock=world.clock)
    world.vote(case_id, "a", "violation")
    world.vote(case_id, "b", "violation")
    state = lifecycle.decide(case_id, store=world.store, notifier=world.notifier, reviewers=world.reviewers,
                             clock=world.clock)
    assert state["invited"] == ["a", "b"] and state["no_shows"] == [] and state["cancelled"] == ["c"]
    assert world.reviewers.outcomes["c"] == "expired"  # the seat is freed in the reviewer service
    assert world.store.get_seat(case_id, "c").status == "cancelled"


def test_the_round_deadline_is_fixed_before_the_draw_and_bounds_the_window() -> None:
    world = World(Policy(module="listing", version=1, panel_size=1, votes_to_win=1, vote_window_seconds=60,
                         substitute_rounds=0, min_votes=1))
    case_id = world.report()
    state = lifecycle.load_case(case_id, store=world.store, clock=world.clock)
    world.clock.advance(2.5)  # the draw took a while
    opened = lifecycle.open_round(case_id, 1, ["a"], store=world.store, notifier=world.notifier, clock=world.clock,
                                  deadline=datetime.fromisoformat(state["deadline"]))
    assert opened["window_seconds"] == 58
    assert world.store.get_seat(case_id, "a").deadline.isoformat() == state["deadline"]
    assert world.notifier.invitations[0].deadline.isoformat() == state["deadline"]


@pytest.mark.parametrize(("state", "reason"), [
    ({"escalation": "no_majority", "reason": "fraud"}, "no_majority"),
    ({"escalation": "no_majority", "error": {"Error": "States.TaskFailed"}}, "error"),
    ({"reason": "fraud"}, "unknown"),
])
def test_the_escalation_reason_comes_from_the_lifecycle_not_the_report(state: dict, reason: str) -> None:
    world = World(Policy(module="listing", version=1, panel_size=1, votes_to_win=1, vote_window_seconds=60,
                         substitute_rounds=0, min_votes=1))
    case_id = world.report()
    done = lifecycle.escalate({"case_id": case_id, **state}, store=world.store, notifier=world.notifier,
                              reviewers=world.reviewers, clock=world.clock)
    assert done["escalation"] == reason and world.notifier.escalated[0].reason == reason
    again = lifecycle.escalate(done, store=world.store, notifier=world.notifier, reviewers=world.reviewers,
                               clock=world.clock)  # AwaitResolution timed out: alert again, same reason
    assert again["escalation"] == reason and world.store.get_case(case_id).status == "escalated"


def test_a_vote_that_wins_before_the_token_is_parked_still_decides() -> None:
    world = World(Policy(module="listing", version=1, panel_size=1, votes_to_win=1, vote_window_seconds=60,
                         substitute_rounds=0, min_votes=1))
    case_id = world.report()
    lifecycle.open_round(case_id, 1, ["a"], store=world.store, notifier=world.notifier, clock=world.clock)
    assert world.vote(case_id, "a", "violation") == "ok"  # no token yet: nothing to complete
    assert world.workflow.completed == []
    with pytest.raises(CaseSettled):  # AwaitVotes catches this and goes to Decide
        lifecycle.await_votes(case_id, 1, "late-token", store=world.store)
    assert lifecycle.decide(case_id, store=world.store, notifier=world.notifier, reviewers=world.reviewers,
                            clock=world.clock)["decision"] == "violation"


def test_a_win_that_races_the_window_is_decided_by_the_round_close() -> None:
    world = World(Policy(module="listing", version=1, panel_size=3, votes_to_win=2, vote_window_seconds=60,
                         substitute_rounds=2, min_votes=2))
    case_id = world.report()
    lifecycle.open_round(case_id, 1, ["a", "b", "c"], store=world.store, notifier=world.notifier, clock=world.clock)
    lifecycle.await_votes(case_id, 1, "expired-token", store=world.store)  # its task already timed out
    world.vote(case_id, "a", "no_violation")
    world.vote(case_id, "b", "no_violation")
    assert world.workflow.completed == [("expired-token", {"decision": "no_violation", "settled_by": "votes"})]
    closed = lifecycle.close_round(case_id, 1, store=world.store, reviewers=world.reviewers, clock=world.clock)
    assert closed["next"] == "decide"  # not a substitute round
    assert world.store.get_case(case_id).round == 1


def test_an_empty_substitute_draw_closes_the_case_by_the_final_rule_at_once() -> None:
    world = World(Policy(module="listing", version=1, panel_size=3, votes_to_win=2, vote_window_seconds=60,
                         substitute_rounds=2, min_votes=1))
    case_id = world.report()
    lifecycle.open_round(case_id, 1, ["a", "b", "c"], store=world.store, notifier=world.notifier, clock=world.clock)
    world.vote(case_id, "a", "violation")
    world.clock.advance(61)
    closed = lifecycle.close_round(case_id, 1, store=world.store, reviewers=world.reviewers, clock=world.clock)
    assert closed["next"] == "substitute"
    opened = lifecycle.open_round(case_id, 2, ["a", "b"], store=world.store, notifier=world.notifier,
                                  clock=world.clock)  # only people already invited: nobody may sit
    assert opened["next"] == "decide" and world.store.get_case(case_id).settled_by == "final_rule"
    assert len(world.notifier.invitations) == 3


@pytest.mark.parametrize("round_", [1, 2])
def test_a_retried_open_round_keeps_the_round_it_opened(round_: int) -> None:
    # issue 15, defect 7: the retry saw its own reviewers as "invited before" and escalated (round 1)
    # or decided at once (a substitute round) while the new seats were open
    world = World(Policy(module="listing", version=1, panel_size=3, votes_to_win=2, vote_window_seconds=60,
                         substitute_rounds=1, min_votes=2))
    case_id = world.report()
    if round_ == 2:
        lifecycle.open_round(case_id, 1, ["a", "b", "c"], store=world.store, notifier=world.notifier, clock=world.clock)
        assert world.vote(case_id, "a", "violation") == "ok"
        world.clock.advance(61)
        assert lifecycle.close_round(case_id, 1, store=world.store, reviewers=world.reviewers,
                                     clock=world.clock)["next"] == "substitute"
    drawn = ["x", "y", "z"][: 3 if round_ == 1 else 2]
    first = lifecycle.open_round(case_id, round_, drawn, store=world.store, notifier=world.notifier, clock=world.clock)
    world.clock.advance(2)  # Step Functions retries the task after a lost response
    again = lifecycle.open_round(case_id, round_, drawn, store=world.store, notifier=world.notifier, clock=world.clock)
    assert first["next"] == again["next"] == "await"
    assert again["round"] == round_ and again["window_seconds"] == first["window_seconds"] - 2
    case = world.store.get_case(case_id)
    assert case.status == "voting" and case.settled is None
    seats = [s for s in world.store.list_seats(case_id) if s.round == round_]
    assert sorted(s.reviewer_id for s in seats) == sorted(drawn) and {s.status for s in seats} == {"invited"}
