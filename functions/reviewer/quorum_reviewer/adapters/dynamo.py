"""The reviewer table: one lazily created client, (de)serialisation, keys and error translation.

Item layout (pk / sk; gsi1; draw):
- reviewer      USER#<id> / PROFILE          gsi1 PROFILES#<shard> / <id>   draw POOL#active (when active)
- pool entry    USER#<id> / POOL#tag:<tag>   -                              draw POOL#active#tag:<tag>
- outcome guard USER#<id> / OUTCOME#<case>
- invitation    CASE#<case> / INVITE#<id>    gsi1 INBOX#<id> / <deadline>#<case> (while open)
- rules         CONFIG / RULES
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from quorum_common.errors import TransientError

PROFILE_SK = "PROFILE"
PROFILE_SHARDS = 4
ENTRY_PREFIX = "POOL#tag:"
TRANSIENT_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "TransactionConflictException", "TransactionInProgressException", "InternalServerError",
})
Item = dict[str, Any]


def user_key(user_id: str, sk: str = PROFILE_SK) -> Item:
    return {"pk": f"USER#{user_id}", "sk": sk}


def entry_sk(tag: str) -> str:
    return f"{ENTRY_PREFIX}{tag}"


def invitation_key(case_id: str, reviewer_id: str) -> Item:
    return {"pk": f"CASE#{case_id}", "sk": f"INVITE#{reviewer_id}"}


def inbox_pk(reviewer_id: str) -> str:
    return f"INBOX#{reviewer_id}"


def profile_shard(user_id: str) -> int:
    """Profiles spread over a few gsi1 partitions so that profile writes do not share one."""
    return zlib.crc32(user_id.encode()) % PROFILE_SHARDS


def profiles_pk(shard: int) -> str:
    return f"PROFILES#{shard}"


def iso(moment: datetime) -> str:
    """Timestamps are stored as ISO-8601 in UTC (they sort as strings)."""
    return moment.astimezone(UTC).isoformat()


def _default_client() -> Any:
    import boto3  # lazily: keep cold starts short

    return boto3.client("dynamodb")


class DynamoTable:
    """The reviewer table and its client (built on first use)."""

    def __init__(self, name: str, client_factory: Callable[[], Any] = _default_client):
        self.name = name
        self._factory = client_factory
        self._client: Any = None
        self._ser: Any = None
        self._de: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

            self._client, self._ser, self._de = self._factory(), TypeSerializer(), TypeDeserializer()
        return self._client

    def call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """Call one DynamoDB operation; throttling and collisions become `TransientError`."""
        client = self.client
        try:
            return getattr(client, operation)(**kwargs)
        except client.exceptions.ClientError as exc:
            if error_code(exc) in TRANSIENT_CODES:
                raise TransientError(f"DynamoDB {operation}: {error_code(exc)}") from exc
            raise

    def av(self, value: Any) -> dict[str, Any]:
        """One Python value as a DynamoDB attribute value."""
        self.client  # noqa: B018 - builds the serialiser
        return self._ser.serialize(_decimals(value))

    def values(self, **values: Any) -> dict[str, Any]:
        """ExpressionAttributeValues from keyword arguments (`:name` for each)."""
        return {f":{name}": self.av(value) for name, value in values.items()}

    def marshal(self, item: Item) -> dict[str, Any]:
        return {k: self.av(v) for k, v in item.items() if v is not None}

    def unmarshal(self, raw: dict[str, Any]) -> Item:
        self.client  # noqa: B018 - builds the deserialiser
        return {k: _plain(self._de.deserialize(v)) for k, v in raw.items()}


def error_code(exc: Exception) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", "")


def cancellation_codes(exc: Exception) -> list[str]:
    """Per-operation reasons of a cancelled transaction ('None' where that operation was fine)."""
    return [r.get("Code", "None") for r in getattr(exc, "response", {}).get("CancellationReasons", [])]


def _decimals(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_decimals(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, set)):
        return [_plain(v) for v in value]
    return value
