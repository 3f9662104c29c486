"""A report and a seating of the same person, whichever lands first, never leave a reporter on the
panel: the conditions the report table checks (issue 15, item 8), on the fake and on DynamoDB."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from quorum_local.provision import Provisioner
from quorum_local.template import Template
from quorum_report.adapters.report_store import DynamoReportStore
from quorum_report.domain.case import Case, Content, Report, Seat, Target, TimelineEntry
from quorum_report.domain.policy import Policy
from quorum_report.service.ports import CaseNotOpen, PanelChanged, Quota, SeatChanged
from tests.unit.report.report_fakes import FakeStore

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ids = itertools.count()


@pytest.fixture(params=["fake", "dynamodb"])
def store(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "fake":
        yield FakeStore()
        return
    request.getfixturevalue("aws")
    Provisioner(Template.load("local")).create_tables()
    yield DynamoReportStore("quorum-local-report")


def _report(case_id: str, reporter: str) -> Report:
    target = Target(module="listing", id=f"item-{case_id}", owner_id="owner-1", content=Content(text="x"))
    return Report(report_id=f"report-{case_id}-{reporter}", case_id=case_id, reporter_id=reporter,
                  submitted_by="svc", target=target, reason="spam", created_at=NOW, aggregated=reporter != "alice")


def _quota(reporter: str) -> Quota:
    return Quota(reporter, "2026-01-05", 100)


def _seat(case_id: str, reviewer: str) -> Seat:
    return Seat(case_id=case_id, reviewer_id=reviewer, round=1, deadline=NOW + timedelta(minutes=5), invited_at=NOW)


def _open(store: Any) -> str:
    case_id = f"case-party-{next(ids)}"
    first = _report(case_id, "alice")
    policy = Policy(module="listing", version=1, panel_size=2, votes_to_win=2, vote_window_seconds=300,
                    substitute_rounds=0, min_votes=1)
    case = Case(case_id=case_id, target=first.target, reason="spam", policy=policy, created_at=NOW,
                reporters=frozenset({"alice"}))
    store.open_case(case, first, _quota("alice"), None)
    return case_id


def _seat_panel(store: Any, case_id: str, *reviewers: str) -> None:
    store.add_seats(case_id, 1, [_seat(case_id, r) for r in reviewers], TimelineEntry(at=NOW, event="round_opened"))


def test_a_seating_after_the_report_refuses_the_reporter(store: Any) -> None:
    case_id = _open(store)
    store.join_case(_report(case_id, "rev-1"), _quota("rev-1"), True, unseated=True)
    with pytest.raises(PanelChanged):
        _seat_panel(store, case_id, "rev-1", "rev-2")
    assert store.get_seat(case_id, "rev-1") is None and store.get_seat(case_id, "rev-2") is None


def test_a_report_after_the_seating_reads_again_instead_of_keeping_the_seat(store: Any) -> None:
    case_id = _open(store)
    _seat_panel(store, case_id, "rev-1", "rev-2")
    with pytest.raises(CaseNotOpen):  # the reporter read the case before they were seated
        store.join_case(_report(case_id, "rev-1"), _quota("rev-1"), True, unseated=True)
    assert store.get_report(f"report-{case_id}-rev-1") is None
    store.join_case(_report(case_id, "rev-1"), _quota("rev-1"), True, store.get_seat(case_id, "rev-1"))
    assert store.get_seat(case_id, "rev-1").status == "recused"
    assert store.reported_by(case_id, "svc", "rev-1") == f"report-{case_id}-rev-1"


def test_a_seat_that_voted_meanwhile_is_not_recused(store: Any) -> None:
    case_id = _open(store)
    _seat_panel(store, case_id, "rev-1", "rev-2")
    open_seat = store.get_seat(case_id, "rev-1")
    store.cast_vote(open_seat, "violation", None, NOW)
    with pytest.raises(SeatChanged):
        store.join_case(_report(case_id, "rev-1"), _quota("rev-1"), True, open_seat)
    assert store.get_seat(case_id, "rev-1").status == "voted"
    assert store.get_report(f"report-{case_id}-rev-1") is None
