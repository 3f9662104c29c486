"""The report table behind the intake, voting, lifecycle, sweep and query ports, as the handlers wire it.

Each port has its adapter beside this one (`intake_store`, `voting_store`, `lifecycle_store`,
`sweep_store`, `case_queries`), all on `report_table.ReportTable`.
"""

from __future__ import annotations

from quorum_report.adapters.intake_store import DynamoIntakeStore
from quorum_report.adapters.lifecycle_store import DynamoLifecycleStore
from quorum_report.adapters.sweep_store import DynamoSweepStore


class DynamoReportStore(DynamoIntakeStore, DynamoLifecycleStore, DynamoSweepStore):
    """Cases, seats, reports, target locks and quotas in the report table: every port of `ReportStore`."""
