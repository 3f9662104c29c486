"""A panel member who reports the case is recused and replaced (issue 15, item 8), with fakes: the
report recuses the open seat, the vote is refused, one substitute is drawn for the rest of the round,
and neither race (a report against a seating, either way round) leaves a reporter on the panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from report_fakes import FakeClock, FakeIds, FakeNotifier, FakePolicyStore, FakeRecusals, FakeReviewers, FakeStore, FakeWorkflow

from quorum_common.errors import PermissionDenied
from quorum_report.domain.case import Content, Target
from quorum_report.domain.policy import Policy
from quorum_report.service import lifecycle
from quorum_report.service.recusal import SubstituteSeatTask, substitute_seat
from quorum_report.service.reports import IntakeLimits, SubmitReport, submit_report
from quorum_report.service.voting import CastVote, cast_vote

POLICY = Policy(module="listing", version=1, panel_size=2, votes_to_win=2, vote_window_seconds=600,
                substitute_rounds=1, min_votes=2)


class Court:
    """A listing case reported by alice, before its first round opens."""

    def __init__(self) -> None:
        self.store, self.workflow, self.clock, self.ids = FakeStore(), FakeWorkflow(), FakeClock(), FakeIds()
        self.notifier, self.reviewers, self.recusals = FakeNotifier(), FakeReviewers(), FakeRecusals()
        self.reviewers.pool = ["rev-1", "rev-2", "rev-3"]
        self.case_id = self.report("alice").case_id

    def report(self, reporter: str):
        cmd = SubmitReport(submitted_by="listing-svc", reporter_id=reporter, reason="fraud",
                           target=Target(module="listing", id="item-1", owner_id="bob", content=Content(text="x")))
        return submit_report(cmd, store=self.store, policies=FakePolicyStore({"listing": POLICY}),
                             workflow=self.workflow, recusals=self.recusals, clock=self.clock, new_id=self.ids,
                             limits=IntakeLimits())

    def open_round(self, *reviewers: str):
        return lifecycle.open_round(self.case_id, 1, list(reviewers), store=self.store, notifier=self.notifier,
                                    clock=self.clock)

    def vote(self, reviewer: str):
        return cast_vote(CastVote(self.case_id, reviewer, "violation"), store=self.store, workflow=self.workflow,
                         reviewers=self.reviewers, clock=self.clock)

    def substitute(self, reviewer: str = "rev-1", round_: int = 1):
        return substitute_seat(SubstituteSeatTask(action="substitute_seat", case_id=self.case_id, round=round_,
                                                  reviewer_id=reviewer),
                               store=self.store, reviewers=self.reviewers, notifier=self.notifier, clock=self.clock)

    def status(self, reviewer: str) -> str:
        return self.store.get_seat(self.case_id, reviewer).status


def test_a_panel_member_who_reports_is_recused_and_cannot_vote() -> None:
    court = Court()
    court.open_round("rev-1", "rev-2")
    accepted = court.report("rev-1")
    assert (accepted.case_id, accepted.aggregated, accepted.existing) == (court.case_id, True, False)
    assert court.status("rev-1") == "recused"
    assert [s.reviewer_id for s in court.recusals.asked] == ["rev-1"]
    with pytest.raises(PermissionDenied) as refused:
        court.vote("rev-1")
    assert refused.value.code == "seat_recused"
    assert court.store.get_case(court.case_id).tally.total == 0


def test_one_substitute_takes_the_recused_seat_until_the_rounds_deadline() -> None:
    court = Court()
    court.open_round("rev-1", "rev-2")
    court.report("rev-1")
    court.clock.advance(60)
    assert court.substitute().reviewer_ids == ["rev-3"]
    seat, recused = court.store.get_seat(court.case_id, "rev-3"), court.store.get_seat(court.case_id, "rev-1")
    assert (seat.status, seat.round, seat.deadline) == ("invited", 1, recused.deadline)
    assert [i.reviewer_id for i in court.notifier.invitations][-1] == "rev-3"
    assert court.reviewers.released == [(court.case_id, "rev-1")]
    assert {"alice", "rev-1", "rev-2", "bob"} <= set(court.reviewers.draws[0].exclude)
    # a retried request invites the same substitute again and draws nobody new
    assert court.substitute().reviewer_ids == ["rev-3"] and len(court.reviewers.draws) == 1
    court.vote("rev-2")
    assert court.vote("rev-3").settled_case


@pytest.mark.parametrize("change", ["not_recused", "round_over", "deadline_near", "settled"])
def test_a_substitute_is_drawn_only_for_a_recused_seat_of_the_open_round(change: str) -> None:
    court = Court()
    court.open_round("rev-1", "rev-2")
    if change != "not_recused":
        court.report("rev-1")
    if change == "round_over":
        court.store.advance_round(court.case_id, 1, court.store.get_case(court.case_id).timeline[-1])
    if change == "deadline_near":
        court.clock.advance(timedelta(seconds=599.5).total_seconds())
    if change == "settled":
        court.store.settle(court.case_id, "violation", by="ops", at=court.clock())
    assert court.substitute().reviewer_ids == []
    assert court.reviewers.draws == [] and court.store.get_seat(court.case_id, "rev-3") is None


def test_a_reporter_seated_after_their_case_was_read_is_recused_all_the_same() -> None:
    court = Court()
    join = court.store.join_case

    def seated_meanwhile(report, quota, track_reporter, recuse=None, *, unseated=False):
        if report.reporter_id == "rev-1" and court.store.get_seat(court.case_id, "rev-1") is None:
            court.open_round("rev-1", "rev-2")  # the round opens between the report's read and its write
        return join(report, quota, track_reporter, recuse, unseated=unseated)

    court.store.join_case = seated_meanwhile
    court.report("rev-1")
    assert court.status("rev-1") == "recused"
    assert [s.reviewer_id for s in court.recusals.asked] == ["rev-1"]


def test_a_reviewer_who_reports_between_the_draw_and_the_seating_never_sits() -> None:
    court = Court()
    add = court.store.add_seats

    def reported_meanwhile(case_id, round_, seats, entry):
        if not court.store.get_case(court.case_id).reporters & {"rev-1"}:
            court.report("rev-1")  # the report lands between open_round's read and its write
        return add(case_id, round_, seats, entry)

    court.store.add_seats = reported_meanwhile
    opened = court.open_round("rev-1", "rev-2")
    assert opened.invited == 1
    assert court.store.get_seat(court.case_id, "rev-1") is None and court.status("rev-2") == "invited"
    assert [i.reviewer_id for i in court.notifier.invitations] == ["rev-2"]
