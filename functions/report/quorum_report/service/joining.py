"""Joining a report to its target's open case: one report per reporter, and a reporter leaves the panel.

A reporter who reports the same open case again gets their first report back (nothing stored, no
unit of the daily cap). A reviewer who reports a case they sit on becomes a party to it: their open
seat is recused in the report's own transaction and a substitute is drawn for it (docs/voting.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from quorum_report.domain.case import Case, Report, Seat
from quorum_report.service.ports import AlreadyReported, IntakeStore, Quota, QuotaExceeded

MAX_TRACKED_REPORTERS = 500  # reporters beyond this still count, but are not excluded from draws


@dataclass(frozen=True)
class Joined:
    """The stored report (the new one, or the reporter's earlier one) and the seat it recused."""

    report: Report
    existing: bool = False
    recused: Seat | None = None


def join_open_case(report: Report, case: Case, quota: Quota, store: IntakeStore) -> Joined:
    """Store `report` on the open `case`, unless its reporter already reported it."""
    if report.reporter_id in case.reporters:
        earlier = _earlier_report(report, store)
        if earlier is not None:
            return Joined(earlier, existing=True)
    seat = _open_seat(case, report.reporter_id, store)
    unseated = case.status == "voting" and report.reporter_id not in case.invited
    try:
        store.join_case(report, quota, track_reporter=case.report_count < MAX_TRACKED_REPORTERS, recuse=seat,
                        unseated=unseated)
    except (AlreadyReported, QuotaExceeded):
        earlier = _earlier_report(report, store)  # a repeat is answered even at the cap: it uses no unit
        if earlier is None:
            raise
        return Joined(earlier, existing=True)
    return Joined(report, recused=seat)


def _earlier_report(report: Report, store: IntakeStore) -> Report | None:
    report_id = store.reported_by(report.case_id, report.submitted_by, report.reporter_id)
    return store.get_report(report_id) if report_id else None


def _open_seat(case: Case, reporter_id: str, store: IntakeStore) -> Seat | None:
    """The reporter's seat still open to a vote (the case row's `invited` spares the read for most reporters)."""
    if case.status != "voting" or reporter_id not in case.invited:
        return None
    seat = store.get_seat(case.case_id, reporter_id)
    return seat if seat is not None and seat.status == "invited" else None
