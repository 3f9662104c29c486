"""The release log as `quorum-release` writes it (`infra/quorum_ops/release_log.py`): one partition, one record a row."""

from __future__ import annotations

from quorum_common.dynamo import Table
from quorum_console.domain.release import ReleaseRecord

LOG_PK = "RELEASE"  # the release command's partition; a test keeps the two equal


class DynamoReleaseLog:
    def __init__(self, table: Table):
        self.table = table

    def latest(self, limit: int) -> list[ReleaseRecord]:
        rows = self.table.query("pk = :pk", {":pk": LOG_PK}, limit=limit, newest_first=True)
        return [ReleaseRecord.model_validate({name: row.get(name) for name in ReleaseRecord.model_fields}) for row in rows]
