"""The report table as every store of the capability speaks to it: the conditional update, the shared reads.

Every method of the stores is one request (or one transaction) guarded by a condition; a failed
condition becomes the port's exception (`TargetTaken`, `SeatRejected`, `NotSettled`, ...).
"""

from __future__ import annotations

from typing import Any

from quorum_common.dynamo import ConditionFailed, Table
from quorum_report.adapters import items as it
from quorum_report.domain.case import Case, Seat


class ReportTable:
    """The report table, and the reads every port shares (a case, its seats)."""

    def __init__(self, table_name: str, client: Any = None):
        self.table = Table(table_name, client)

    def _update(self, key: dict[str, str], expression: str, values: dict[str, Any], names: dict[str, str],
                condition: str, returns: str = "NONE") -> dict[str, Any] | None:
        """An update guarded by `condition`; None when the condition did not hold."""
        try:
            return self.table.update(key, expression, values=values, names=names, condition=condition, returns=returns)
        except ConditionFailed:
            return None

    def get_case(self, case_id: str) -> Case | None:
        row = self.table.get(it.case_key(case_id))
        return it.case_from(row) if row else None

    def get_seat(self, case_id: str, reviewer_id: str) -> Seat | None:
        row = self.table.get(it.seat_key(case_id, reviewer_id))
        return it.seat_from(row) if row else None

    def list_seats(self, case_id: str) -> list[Seat]:
        rows = self.table.query("pk = :pk AND begins_with(sk, :seat)", {":pk": f"CASE#{case_id}", ":seat": "SEAT#"})
        return [it.seat_from(row) for row in rows]
