"""The `SweepStore` port: the cases the sweeper restarts, and the decided cases whose effects are pending."""

from __future__ import annotations

from datetime import datetime

from quorum_report.adapters import items as it
from quorum_report.adapters.case_queries import DynamoCaseQueries
from quorum_report.domain.case import Case, TimelineEntry


class DynamoSweepStore(DynamoCaseQueries):
    """The sweeper's reads (gsi2: pending effects) and its one write, the restart it claims."""

    def pending_effects(self, decided_before: datetime, limit: int) -> list[Case]:
        rows = self.table.query("gsi2pk = :p AND gsi2sk < :before", {":p": it.EFFECTS_PENDING,
                                ":before": it.iso(decided_before)}, index="gsi2", limit=limit)
        return [it.case_from(row) for row in rows]

    def note_restart(self, case_id: str, restarts: int, execution: str, entry: TimelineEntry) -> bool:
        """Record the new driving execution; False when another sweep got there first."""
        row = self._update(
            it.case_key(case_id),
            "SET #execution = :name, #restarts = :next, timeline = list_append(timeline, :entry)",
            {":name": execution, ":next": restarts + 1, ":seen": restarts, ":entry": [it.entry_value(entry)]},
            {"#execution": "execution", "#restarts": "restarts"},
            "attribute_not_exists(#restarts) OR #restarts = :seen")
        return row is not None
