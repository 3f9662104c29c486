"""The `SweepStore` port: the cases the sweeper restarts, and the decided cases whose effects are pending."""

from __future__ import annotations

from datetime import datetime

from quorum_common.dynamo import decode_cursor, encode_cursor
from quorum_report.adapters import items as it
from quorum_report.adapters.case_queries import DynamoCaseQueries
from quorum_report.domain.case import TimelineEntry
from quorum_report.service.ports import Page


class DynamoSweepStore(DynamoCaseQueries):
    """The sweeper's reads (gsi2: pending effects) and its writes, the restart it claims and the effects it gives up."""

    def pending_effects(self, decided_before: datetime, limit: int, cursor: str | None) -> Page:
        start = decode_cursor(cursor) if cursor else None  # the sweep's own, from the page before
        rows, last = self.table.query_page("gsi2pk = :p AND gsi2sk < :before", {
            ":p": it.EFFECTS_PENDING, ":before": it.iso(decided_before)}, limit=limit, index="gsi2", start=start)
        return Page([it.case_from(row) for row in rows], encode_cursor(last) if last else None)

    def abandon_effects(self, case_id: str, entry: TimelineEntry) -> None:
        """Move the case to the `EFFECTS#abandoned` partition of gsi2 (same sort key), if it is still pending."""
        self._update(it.case_key(case_id), "SET gsi2pk = :abandoned, timeline = list_append(timeline, :entry)",
                     {":abandoned": it.EFFECTS_ABANDONED, ":pending": it.EFFECTS_PENDING,
                      ":entry": [it.entry_value(entry)]}, {}, "gsi2pk = :pending")

    def note_restart(self, case_id: str, restarts: int, execution: str, entry: TimelineEntry) -> bool:
        """Record the new driving execution; False when another sweep got there first."""
        row = self._update(
            it.case_key(case_id),
            "SET #execution = :name, #restarts = :next, timeline = list_append(timeline, :entry)",
            {":name": execution, ":next": restarts + 1, ":seen": restarts, ":entry": [it.entry_value(entry)]},
            {"#execution": "execution", "#restarts": "restarts"},
            "attribute_not_exists(#restarts) OR #restarts = :seen")
        return row is not None
