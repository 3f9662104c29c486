"""The `CaseQueries` port: a case's reports and the paged lists of cases by status."""

from __future__ import annotations

from typing import Any

from quorum_common.dynamo import decode_cursor, encode_cursor
from quorum_common.errors import InvalidInput
from quorum_report.adapters import items as it
from quorum_report.adapters.report_table import ReportTable
from quorum_report.domain.case import CaseStatus, Report
from quorum_report.service.ports import Page


class DynamoCaseQueries(ReportTable):
    """What the read routes list: reports by case, cases by status (gsi1)."""

    def list_reports(self, case_id: str) -> list[Report]:
        """A case's reports, oldest first (gsi1: REPORTS#<case>, by creation time)."""
        return [it.report_from(row) for row in self.table.query("gsi1pk = :pk", {":pk": f"REPORTS#{case_id}"},
                                                                 index="gsi1")]

    def list_cases(self, status: CaseStatus, limit: int, cursor: str | None) -> Page:
        rows, last = self.table.query_page("gsi1pk = :pk", {":pk": f"CASES#{status}"}, limit=limit, index="gsi1",
                                           start=_start_key(cursor, f"CASES#{status}"),
                                           newest_first=status == "decided")  # oldest open work first
        return Page([it.case_from(row) for row in rows], encode_cursor(last) if last else None)


def _start_key(cursor: str | None, gsi1pk: str) -> dict[str, Any] | None:
    """The start key a cursor names; one that is garbled or belongs to another status is refused."""
    if cursor is None:
        return None
    key = decode_cursor(cursor)
    if not isinstance(key, dict) or set(key) != {"pk", "sk", "gsi1pk", "gsi1sk"} or key["gsi1pk"] != gsi1pk:
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor")
    return key
