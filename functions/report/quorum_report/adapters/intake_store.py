"""The `IntakeStore` port: a report opens a case, joins an open one, or adds to a decided one, against its quota."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from quorum_common.dynamo import TransactionCancelled
from quorum_report.adapters import items as it
from quorum_report.adapters.report_table import ReportTable
from quorum_report.domain.case import Case, Report, Seat, TargetLock
from quorum_report.service.ports import AlreadyReported, CaseNotOpen, Quota, QuotaExceeded, SeatChanged, TargetTaken

QUOTA_TTL = timedelta(days=2)


class DynamoIntakeStore(ReportTable):
    """Reports, target locks, reporter markers and daily quotas, each written in one transaction."""

    def get_lock(self, module: str, target_id: str) -> TargetLock | None:
        row = self.table.get(it.lock_key(module, target_id))
        return it.lock_from(row) if row else None

    def get_report(self, report_id: str) -> Report | None:
        row = self.table.get(it.report_key(report_id))
        return it.report_from(row) if row else None

    def _quota_op(self, quota: Quota, at: datetime) -> dict[str, Any]:
        return self.table.update_op(
            it.quota_key(quota.reporter_id, quota.day), "ADD #count :one SET expires_at = :exp",
            {":one": 1, ":cap": quota.cap, ":exp": int((at + QUOTA_TTL).timestamp())}, {"#count": "count"},
            "attribute_not_exists(#count) OR #count < :cap")

    def open_case(self, case: Case, report: Report, quota: Quota, replaces: str | None) -> None:
        lock_condition = "attribute_not_exists(pk)" + (" OR case_id = :old" if replaces else "")
        operations = [
            self.table.put_op(it.case_item(case), "attribute_not_exists(pk)"),
            self.table.put_op(it.report_item(report), "attribute_not_exists(pk)"),
            self.table.put_op(it.lock_item(case), lock_condition, {":old": replaces} if replaces else None),
            self._quota_op(quota, case.created_at),
            self.table.put_op(it.reporter_item(report)),
        ]
        self._intake(operations, {2: TargetTaken, 3: QuotaExceeded})

    def reported_by(self, case_id: str, submitted_by: str, reporter_id: str) -> str | None:
        row = self.table.get(it.reporter_key(case_id, submitted_by, reporter_id))
        return row["report_id"] if row else None

    def join_case(self, report: Report, quota: Quota, track_reporter: bool, recuse: Seat | None = None, *,
                  unseated: bool = False) -> None:
        adds = "report_count :one, reasons :reason" + (", reporters :reporter" if track_reporter else "")
        values: dict[str, Any] = {":one": 1, ":reason": {report.reason}, ":decided": "decided",
                                  ":at": it.iso(report.created_at)}
        condition = "attribute_exists(pk) AND #status <> :decided"
        if track_reporter:
            values[":reporter"] = {report.reporter_id}
        if unseated:  # the reporter held no seat when the case was read: one given since makes us read again
            values[":who"] = report.reporter_id
            condition += " AND NOT contains(invited, :who)"
        operations = [
            self.table.put_op(it.report_item(report), "attribute_not_exists(pk)"),
            self.table.update_op(it.case_key(report.case_id), f"ADD {adds} SET updated_at = :at", values,
                           {"#status": "status"}, condition),
            self._quota_op(quota, report.created_at),
            self.table.put_op(it.reporter_item(report), "attribute_not_exists(pk)"),
        ]
        if recuse is not None:
            operations.append(self._recuse_op(recuse, report.created_at))
        self._intake(operations, {1: CaseNotOpen, 2: QuotaExceeded, 3: AlreadyReported, 4: SeatChanged})

    def _recuse_op(self, seat: Seat, at: datetime) -> dict[str, Any]:
        """The reporter's open seat leaves the panel in the report's own transaction."""
        return self.table.update_op(it.seat_key(seat.case_id, seat.reviewer_id), "SET #status = :recused, ended_at = :at",
                                    {":recused": "recused", ":at": it.iso(at), ":invited": "invited"},
                                    {"#status": "status"}, "#status = :invited")

    def add_report(self, report: Report, quota: Quota) -> None:
        operations = [self.table.put_op(it.report_item(report), "attribute_not_exists(pk)"),
                      self._quota_op(quota, report.created_at)]
        self._intake(operations, {1: QuotaExceeded})

    def _intake(self, operations: list[dict[str, Any]], signals: dict[int, type[Exception]]) -> None:
        try:
            self.table.transact(operations)
        except TransactionCancelled as exc:
            for index in sorted(signals, reverse=True):  # the quota (last of the open) speaks first
                if exc.failed(index):
                    raise signals[index]() from exc
            raise
