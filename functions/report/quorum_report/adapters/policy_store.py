"""Policy versions and each module's CURRENT pointer, in the report table."""

from __future__ import annotations

from quorum_report.adapters import items as it
from quorum_report.adapters.table import Cancelled, DynamoTable
from quorum_report.domain.policy import Policy
from quorum_report.service.ports import VersionConflict


class DynamoPolicyStore(DynamoTable):
    """Policy versions and each module's CURRENT pointer, in the report table."""

    def current(self, module: str) -> Policy | None:
        row = self.get(it.policy_key(module, "CURRENT"))
        return it.policy_from(row) if row else None

    def all_current(self) -> list[Policy]:
        response = self.query(IndexName="gsi1", KeyConditionExpression="gsi1pk = :pk",
                              ExpressionAttributeValues={":pk": it.attr("POLICIES")})
        return [it.policy_from(it.from_ddb(row)) for row in response.get("Items", [])]

    def put(self, policy: Policy, previous_version: int | None) -> None:
        version_row, current_row = it.policy_items(policy)
        if previous_version is None:
            current_op = self.put_op(current_row, "attribute_not_exists(pk)")
        else:
            current_op = self.put_op(current_row, "version = :previous", {":previous": previous_version})
        try:
            self.transact([self.put_op(version_row, "attribute_not_exists(pk)"), current_op])
        except Cancelled as exc:
            raise VersionConflict() from exc
