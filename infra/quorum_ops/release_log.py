"""The environment's release log in DynamoDB: who moved which alias from what to what, and when."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from quorum_common.aws import error_code
from quorum_ops.plan import Move, Refused

LOG_PK = "RELEASE"
_APPEND_ATTEMPTS = 5


@dataclass(frozen=True)
class Record:
    """One audit record: who moved which function's alias from what to what, and when."""

    seq: int
    at: str
    who: str
    function: str
    action: str
    before: str
    after: str
    from_version: str
    to_version: str
    note: str = ""  # why, when the command decided by itself (--auto) or was told to (--allow-no-data)

    def move(self) -> Move:
        return Move(self.function, self.action, self.from_version, self.to_version)


class ReleaseLog:
    """The environment's release-log table: one partition, records in a gap-free sequence."""

    def __init__(self, dynamodb_client: Any, table: str):
        self.ddb = dynamodb_client
        self.table = table

    def records(self, function: str | None = None) -> list[Record]:
        """Every record (of one function, if given), oldest first."""
        query = {"TableName": self.table, "KeyConditionExpression": "pk = :pk",
                 "ExpressionAttributeValues": {":pk": {"S": LOG_PK}}}
        try:
            pages = self.ddb.get_paginator("query").paginate(**query)
            rows = [_record(item) for page in pages for item in page["Items"]]
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                raise Refused(f"release-log table {self.table} does not exist: is the environment deployed?") from None
            raise
        return [r for r in rows if function is None or r.function == function]

    def append(self, after_seq: int, **fields: str) -> Record:
        """Write the next record; a concurrent writer's seq is skipped, never overwritten."""
        seq = after_seq
        for _ in range(_APPEND_ATTEMPTS):
            seq += 1
            record = Record(seq=seq, **fields)
            try:
                self.ddb.put_item(TableName=self.table, Item=_item(record),
                                  ConditionExpression="attribute_not_exists(sk)")
                return record
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
        raise RuntimeError(f"could not append to {self.table} after {_APPEND_ATTEMPTS} attempts")


def _item(record: Record) -> dict[str, dict[str, str]]:
    item = {"pk": {"S": LOG_PK}, "sk": {"S": f"{record.seq:012d}"}, "seq": {"N": str(record.seq)}}
    for name in ("at", "who", "function", "action", "before", "after", "from_version", "to_version"):
        item[name] = {"S": getattr(record, name)}
    if record.note:
        item["note"] = {"S": record.note}
    return item


def _record(item: dict[str, dict[str, str]]) -> Record:
    fields = {name: item[name]["S"] for name in ("at", "who", "function", "action", "before", "after",
                                                  "from_version", "to_version")}
    return Record(seq=int(item["seq"]["N"]), note=item.get("note", {}).get("S", ""), **fields)
