"""Votes, case views and ops resolution through the use cases, with fakes."""

from __future__ import annotations

import threading

import pytest
import report_steps as lifecycle  # the steps as JSON, as the state machine sees them
from report_fakes import FakeClock, FakeIds, FakeNotifier, FakePolicyStore, FakeRecusals, FakeReviewers, FakeStore, FakeWorkflow

from quorum_common.errors import Conflict, NotFound, PermissionDenied
from quorum_report.domain.case import Content, Target
from quorum_report.domain.policy import Policy
from quorum_report.service.cases import ResolveCase, Viewer, list_cases, resolve_case, view_case
from quorum_report.service.reports import IntakeLimits, SubmitReport, submit_report
from quorum_report.service.views import OpsCaseView, ReviewerCaseView
from quorum_report.service.voting import CastVote, cast_vote

PANEL = ["r1", "r2", "r3", "r4", "r5"]


class Panel:
    """A listing case with five seated reviewers and a parked callback token."""

    def __init__(self) -> None:
        self.store, self.workflow, self.clock = FakeStore(), FakeWorkflow(), FakeClock()
        self.reviewers, self.notifier = FakeReviewers(), FakeNotifier()
        policy = Policy(module="listing", version=1, panel_size=5, votes_to_win=3, vote_window_seconds=600,
                        substitute_rounds=1, min_votes=3)
        cmd = SubmitReport(submitted_by="listing-svc", reporter_id="alice", reason="fraud",
                           target=Target(module="listing", id="item-9", owner_id="bob",
                                         content=Content(text="wire money to bob@example.com, WeChat: bob_deals")))
        self.case_id = submit_report(cmd, store=self.store, policies=FakePolicyStore({"listing": policy}),
                                     workflow=self.workflow, recusals=FakeRecusals(), clock=self.clock, new_id=FakeIds(),
                                     limits=IntakeLimits()).case_id
        lifecycle.open_round(self.case_id, 1, PANEL, store=self.store, notifier=self.notifier, clock=self.clock)
        self.workflow.live_tokens.add("tok")
        lifecycle.await_votes(self.case_id, 1, "tok", store=self.store)

    def vote(self, reviewer: str, verdict: str = "violation", comment: str | None = None):
        return cast_vote(CastVote(self.case_id, reviewer, verdict, comment), store=self.store,
                         workflow=self.workflow, reviewers=self.reviewers, clock=self.clock)


def test_the_third_vote_settles_the_case_and_completes_the_callback_at_once() -> None:
    panel = Panel()
    assert not panel.vote("r1").settled_case and not panel.vote("r2").settled_case
    assert panel.workflow.completed == []
    assert panel.vote("r3").settled_case
    assert panel.workflow.completed == [("tok", {"decision": "violation", "settled_by": "votes"})]
    with pytest.raises(Conflict) as raised:
        panel.vote("r4", "no_violation")
    assert raised.value.code == "case_closed"


def test_each_vote_frees_the_reviewers_fatigue_slot() -> None:
    panel = Panel()
    panel.vote("r1", comment="clearly a scam")
    assert panel.reviewers.released == [(panel.case_id, "r1")]
    assert panel.store.get_seat(panel.case_id, "r1").comment == "clearly a scam"


@pytest.mark.parametrize("voter", ["stranger", "alice", "bob"])
def test_only_the_panel_may_vote(voter: str) -> None:
    panel = Panel()
    with pytest.raises(PermissionDenied) as raised:
        panel.vote(voter)
    assert raised.value.code == "not_invited"
    assert panel.store.get_case(panel.case_id).tally.total == 0


def test_a_second_vote_is_refused() -> None:
    panel = Panel()
    panel.vote("r1")
    with pytest.raises(Conflict) as raised:
        panel.vote("r1", "no_violation")
    assert raised.value.code == "already_voted"
    assert panel.store.get_case(panel.case_id).tally.violation == 1


def test_an_expired_seat_cannot_vote() -> None:
    panel = Panel()
    panel.clock.advance(601)
    with pytest.raises(PermissionDenied) as raised:
        panel.vote("r1")
    assert raised.value.code == "not_invited"


def test_an_unknown_case_is_404() -> None:
    panel = Panel()
    with pytest.raises(NotFound):
        cast_vote(CastVote("case-nope", "r1", "violation"), store=panel.store, workflow=panel.workflow,
                  reviewers=panel.reviewers, clock=panel.clock)


def test_concurrent_votes_count_each_panel_member_once_and_settle_once() -> None:
    panel = Panel()
    results: list[str] = []
    voters = PANEL * 3 + ["x1", "x2", "x3", "x4", "x5"]

    def vote(reviewer: str) -> None:
        try:
            results.append("settled" if panel.vote(reviewer).settled_case else "ok")
        except (Conflict, PermissionDenied) as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=vote, args=(r,)) for r in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    case = panel.store.get_case(panel.case_id)
    assert results.count("settled") == 1 and len(panel.workflow.completed) == 1
    assert case.tally.violation == results.count("ok") + 1 == 3
    assert results.count("not_invited") == 5


def test_reviewers_see_masked_content_and_ops_see_everything() -> None:
    panel = Panel()
    panel.vote("r1")
    mine = view_case(panel.case_id, Viewer("r2", False), store=panel.store, reviewers=panel.reviewers)
    assert isinstance(mine, ReviewerCaseView)
    dumped = mine.model_dump_json()
    assert "bob" not in dumped and "alice" not in dumped and "[email]" in mine.content.text
    assert "[handle]" in mine.content.text
    full = view_case(panel.case_id, Viewer("ops-1", True), store=panel.store, reviewers=panel.reviewers)
    assert isinstance(full, OpsCaseView)
    assert full.target["owner_id"] == "bob" and full.reporters == ["alice"]
    assert [s.reviewer_id for s in full.panel] == PANEL and full.tally.violation == 1
    assert [e.event for e in full.timeline] == ["opened", "round_opened", "voted"]
    assert full.reviewer_stats == {r: {"invited": 1} for r in PANEL}


def test_ops_view_works_without_reviewer_stats() -> None:
    panel = Panel()
    panel.reviewers.available = False
    assert view_case(panel.case_id, Viewer("ops-1", True), store=panel.store,
                     reviewers=panel.reviewers).reviewer_stats is None


def test_others_may_not_see_a_case() -> None:
    panel = Panel()
    with pytest.raises(PermissionDenied):
        view_case(panel.case_id, Viewer("stranger", False), store=panel.store, reviewers=panel.reviewers)
    with pytest.raises(NotFound):
        view_case("case-missing", Viewer("ops-1", True), store=panel.store, reviewers=panel.reviewers)


def test_resolution_only_on_an_escalated_case() -> None:
    panel = Panel()
    command = ResolveCase(panel.case_id, "no_violation", "looked fine", "ops-1")
    with pytest.raises(Conflict) as raised:
        resolve_case(command, store=panel.store, workflow=panel.workflow, clock=panel.clock)
    assert raised.value.code == "case_not_escalated"
    lifecycle.escalate({"case_id": panel.case_id, "escalation": "no_majority", "reason": "fraud"}, store=panel.store,
                       notifier=panel.notifier, reviewers=panel.reviewers, clock=panel.clock)
    assert sorted(r for _, r in panel.reviewers.released) == PANEL  # open seats were cancelled
    assert [e.reason for e in panel.notifier.escalated] == ["no_majority"]
    panel.workflow.live_tokens.add("ops-tok")
    lifecycle.await_resolution(panel.case_id, "ops-tok", store=panel.store)
    resolution = resolve_case(command, store=panel.store, workflow=panel.workflow, clock=panel.clock)
    assert resolution.decision == "no_violation"
    assert panel.workflow.completed[-1] == ("ops-tok", {"decision": "no_violation", "settled_by": "ops"})
    with pytest.raises(Conflict):
        resolve_case(command, store=panel.store, workflow=panel.workflow, clock=panel.clock)


def test_listing_without_status_puts_escalated_cases_first() -> None:
    panel = Panel()
    voting = panel.store.get_case(panel.case_id)
    panel.clock.advance(10)
    escalated = voting.model_copy(update={"case_id": "case-later", "status": "escalated", "created_at": panel.clock()})
    panel.store.cases[escalated.case_id] = escalated
    page = list_cases(None, 10, None, store=panel.store)
    assert [c.case_id for c in page.cases] == ["case-later", panel.case_id] and page.cursor is None
    first = list_cases(None, 1, None, store=panel.store)
    second = list_cases(None, 1, first.cursor, store=panel.store)
    assert [c.case_id for c in first.cases + second.cases] == ["case-later", panel.case_id]
    assert [c.case_id for c in list_cases("voting", 10, None, store=panel.store).cases] == [panel.case_id]
