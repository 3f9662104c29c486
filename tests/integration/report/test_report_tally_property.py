"""The tally rule, one authority: the fake store and the DynamoDB store that ships count votes as the
domain does (`Tally.plus`) and settle exactly when the domain names a winner (`winner`).

Hypothesis drives the same random vote sequence through both stores; each example uses a fresh
case id, so the moto table is provisioned once per test from template.yaml.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quorum_local.provision import Provisioner
from quorum_local.template import Template
from quorum_report.adapters.report_store import DynamoReportStore
from quorum_report.domain.case import Case, Content, Report, Seat, Tally, Target, TimelineEntry
from quorum_report.domain.policy import Policy
from quorum_report.domain.rules import winner
from quorum_report.service.ports import CaseNotOpen, NotSettled, Quota, SeatRejected, VotingStore
from tests.unit.report.report_fakes import FakeStore

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PANEL = [f"r{i}" for i in range(7)]
ids = itertools.count()


class Store(VotingStore):
    """What the property needs beyond voting: open a case and seat its panel (both stores have these)."""

    def open_case(self, case: Case, report: Report, quota: Quota, replaces: str | None) -> None: ...
    def add_seats(self, case_id: str, round_: int, seats: list[Seat], entry: TimelineEntry) -> None: ...


@pytest.fixture(params=["fake", "dynamodb"])
def store(request: pytest.FixtureRequest) -> Iterator[Callable[[], Store]]:
    if request.param == "fake":
        yield FakeStore
        return
    request.getfixturevalue("aws")
    Provisioner(Template.load("local")).create_tables()
    dynamo = DynamoReportStore("quorum-local-report")
    yield lambda: dynamo


def _open(store: Store, votes_to_win: int) -> str:
    case_id = f"case-{next(ids)}"
    policy = Policy(module="listing", version=1, panel_size=len(PANEL), votes_to_win=votes_to_win,
                    vote_window_seconds=60, substitute_rounds=0, min_votes=1)
    target = Target(module="listing", id=f"item-{case_id}", owner_id="owner-1", content=Content(text="x"))
    case = Case(case_id=case_id, target=target, reason="spam", policy=policy, created_at=NOW,
                reporters=frozenset({"reporter-1"}))
    report = Report(report_id=f"report-{case_id}", case_id=case_id, reporter_id="reporter-1", submitted_by="svc",
                    target=target, reason="spam", created_at=NOW)
    store.open_case(case, report, Quota(f"reporter-{case_id}", "2026-01-05", 100), None)
    seats = [Seat(case_id=case_id, reviewer_id=r, round=1, deadline=NOW + timedelta(minutes=1), invited_at=NOW)
             for r in PANEL]
    store.add_seats(case_id, 1, seats, TimelineEntry(at=NOW, event="round_opened"))
    return case_id


votes = st.lists(st.tuples(st.sampled_from(PANEL), st.sampled_from(["violation", "no_violation"])), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=votes, votes_to_win=st.integers(4, 7))
def test_votes_count_and_settle_as_the_domain_says(store: Callable[[], Store], sequence: list[tuple[str, str]],
                                                   votes_to_win: int) -> None:
    db = store()
    case_id = _open(db, votes_to_win)
    expected, voted, settled = Tally(), set(), None
    for reviewer, verdict in sequence:
        seat = Seat(case_id=case_id, reviewer_id=reviewer, round=1, deadline=NOW + timedelta(minutes=1), invited_at=NOW)
        try:
            db.cast_vote(seat, verdict, None, NOW)  # type: ignore[arg-type]  # sampled from the two verdicts
            accepted = True
        except (SeatRejected, CaseNotOpen):
            accepted = False
        assert accepted == (reviewer not in voted and settled is None)
        if accepted:
            voted.add(reviewer)
            expected = expected.plus(verdict)  # type: ignore[arg-type]
        try:
            db.settle(case_id, verdict, by="votes", at=NOW, when_votes_reach=votes_to_win)  # type: ignore[arg-type]
            did_settle = True
        except NotSettled:
            did_settle = False
        assert did_settle == (settled is None and winner(expected, votes_to_win) == verdict)
        settled = verdict if did_settle else settled
    case = db.get_case(case_id)
    assert case is not None and case.tally == expected and case.settled == settled
