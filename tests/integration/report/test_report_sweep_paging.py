"""The sweep's reads of gsi2 on DynamoDB (moto): the pending effects page by page, and a case given up
moves to `EFFECTS#abandoned`, out of the pending ones, while the pages after it still follow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from quorum_local.provision import Provisioner
from quorum_local.template import Template
from quorum_report.adapters import items as it
from quorum_report.adapters.report_store import DynamoReportStore
from quorum_report.domain.case import Case, Content, Target
from quorum_report.domain.policy import Policy
from quorum_report.service.sweeper import Sweep, sweep_stuck_cases
from tests.unit.report.report_fakes import FakeClock, FakeWorkflow

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
POLICY = Policy(module="listing", version=1, panel_size=3, votes_to_win=2, vote_window_seconds=300,
                substitute_rounds=0, min_votes=1)


@pytest.fixture
def store(aws: None) -> Iterator[DynamoReportStore]:
    Provisioner(Template.load("local")).create_tables()
    yield DynamoReportStore("quorum-local-report")


def _decided(store: DynamoReportStore, case_id: str, minutes_ago: int, restarts: int = 0) -> str:
    """A decided case row whose effects are pending, decided `minutes_ago`."""
    target = Target(module="listing", id=f"item-{case_id}", owner_id="owner-1", content=Content(text="x"))
    at = NOW - timedelta(minutes=minutes_ago)
    case = Case(case_id=case_id, target=target, reason="spam", policy=POLICY, created_at=at - timedelta(hours=1))
    store.table.put({**it.case_item(case), "status": "decided", "decision": "violation", "decided_at": it.iso(at),
                     "restarts": restarts, "gsi1pk": "CASES#decided", "gsi2pk": it.EFFECTS_PENDING,
                     "gsi2sk": f"{it.iso(at)}#{case_id}"})
    return case_id


def _all_pending(store: DynamoReportStore, limit: int) -> list[str]:
    found, cursor = [], None
    while True:
        page = store.pending_effects(NOW - timedelta(minutes=15), limit, cursor)
        found += [case.case_id for case in page.cases]
        if page.cursor is None:
            return found
        cursor = page.cursor


def test_pending_effects_page_on_oldest_first_and_stop_at_the_bound(store: DynamoReportStore) -> None:
    old = [_decided(store, f"case-{i}", 60 - i) for i in range(5)]
    _decided(store, "case-young", 5)  # decided 5 minutes ago: its own retries may still run
    assert _all_pending(store, 2) == old


def test_given_up_cases_leave_the_pending_index_and_the_next_pages_still_follow(store: DynamoReportStore) -> None:
    # Given three decided cases restarted 5 times (their effects fail each time) and two younger ones
    poison = [_decided(store, f"case-p{i}", 60 - i, restarts=5) for i in range(3)]
    young = [_decided(store, f"case-y{i}", 30 - i) for i in range(2)]
    workflow = FakeWorkflow(executions={case_id: "FAILED" for case_id in poison + young})
    # When the sweep reads them two at a time
    swept = sweep_stuck_cases(Sweep(limit=2), store=store, workflow=workflow, clock=FakeClock(NOW))
    # Then it gives up the poison ones, redrives the others, and only these stay pending
    assert (swept.given_up, swept.redriven, swept.checked) == (poison, young, 5)
    assert _all_pending(store, 2) == young
    rows = store.table.query("gsi2pk = :p", {":p": it.EFFECTS_ABANDONED}, index="gsi2")
    assert [row["case_id"] for row in rows] == poison
    assert store.get_case("case-p0").timeline[-1].event == "effects_abandoned"
    assert store.get_case("case-p0").restarts == 5
