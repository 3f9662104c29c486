"""Joining a report to its target's open case: one report per reporter.

A reporter who reports the same open case again gets their first report back (nothing stored, no
unit of the daily cap).
"""

from __future__ import annotations

from dataclasses import dataclass

from quorum_report.domain.case import Case, Report
from quorum_report.service.ports import AlreadyReported, IntakeStore, Quota, QuotaExceeded

MAX_TRACKED_REPORTERS = 500  # reporters beyond this still count, but are not excluded from draws


@dataclass(frozen=True)
class Joined:
    """The stored report: the new one, or the reporter's earlier one."""

    report: Report
    existing: bool = False


def join_open_case(report: Report, case: Case, quota: Quota, store: IntakeStore) -> Joined:
    """Store `report` on the open `case`, unless its reporter already reported it."""
    if report.reporter_id in case.reporters:
        earlier = _earlier_report(report, store)
        if earlier is not None:
            return Joined(earlier, existing=True)
    try:
        store.join_case(report, quota, track_reporter=case.report_count < MAX_TRACKED_REPORTERS)
    except (AlreadyReported, QuotaExceeded):
        earlier = _earlier_report(report, store)  # a repeat is answered even at the cap: it uses no unit
        if earlier is None:
            raise
        return Joined(earlier, existing=True)
    return Joined(report)


def _earlier_report(report: Report, store: IntakeStore) -> Report | None:
    report_id = store.reported_by(report.case_id, report.submitted_by, report.reporter_id)
    return store.get_report(report_id) if report_id else None
