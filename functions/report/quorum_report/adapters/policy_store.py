"""Policy versions and each module's CURRENT pointer, in the report table."""

from __future__ import annotations

from typing import Any

from quorum_common.dynamo import Table, TransactionCancelled
from quorum_report.adapters import items as it
from quorum_report.domain.policy import Policy
from quorum_report.service.ports import VersionConflict


class DynamoPolicyStore:
    """Policy versions and each module's CURRENT pointer, in the report table."""

    def __init__(self, table_name: str, client: Any = None):
        self.table = Table(table_name, client)

    def current(self, module: str) -> Policy | None:
        row = self.table.get(it.policy_key(module, "CURRENT"))
        return it.policy_from(row) if row else None

    def all_current(self) -> list[Policy]:
        return [it.policy_from(row) for row in self.table.query("gsi1pk = :pk", {":pk": "POLICIES"}, index="gsi1")]

    def put(self, policy: Policy, previous_version: int | None) -> None:
        version_row, current_row = it.policy_items(policy)
        if previous_version is None:
            current_op = self.table.put_op(current_row, "attribute_not_exists(pk)")
        else:
            current_op = self.table.put_op(current_row, "version = :previous", {":previous": previous_version})
        try:
            self.table.transact([self.table.put_op(version_row, "attribute_not_exists(pk)"), current_op])
        except TransactionCancelled as exc:
            raise VersionConflict() from exc
