"""One DynamoDB table: a lazily created client, the error mapping and transactions.

A failed condition becomes None (single writes) or `Cancelled` (transactions) for the store
to interpret; throttling becomes `TransientError`, which the state machine retries; a
transaction lost to a concurrent one is retried here with jittered backoff.
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import time
from typing import Any

import boto3
from botocore.exceptions import ClientError

from quorum_common.errors import InvalidInput
from quorum_report.adapters import items as it
from quorum_report.domain.errors import TransientError

THROTTLED = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
             "InternalServerError", "TransactionInProgressException"}
CONFLICT_RETRIES = 6


class Cancelled(Exception):
    """A transaction failed; `reasons` holds one cancellation code per item."""

    def __init__(self, reasons: list[str]):
        super().__init__(", ".join(reasons))
        self.reasons = reasons

    def failed(self, index: int) -> bool:
        return index < len(self.reasons) and self.reasons[index] == "ConditionalCheckFailed"


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def _cancel_reasons(exc: ClientError) -> list[str]:
    return [reason.get("Code", "None") for reason in exc.response.get("CancellationReasons", [])]


class DynamoTable:
    """A table name and a lazily created client, with the error mapping every adapter shares."""

    def __init__(self, table_name: str, client: Any = None):
        self.table_name = table_name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = boto3.client("dynamodb")
        return self._client

    def call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """One request; throttling becomes `TransientError`, a failed condition stays a ClientError."""
        try:
            return getattr(self.client, operation)(TableName=self.table_name, **kwargs)
        except ClientError as exc:
            if _code(exc) in THROTTLED:
                raise TransientError(f"DynamoDB {operation} throttled") from exc
            raise

    def get(self, key: dict[str, str]) -> dict[str, Any] | None:
        item = self.call("get_item", Key=it.to_ddb(key), ConsistentRead=True).get("Item")
        return it.from_ddb(item) if item else None

    def update(self, key: dict[str, str], expression: str, values: dict[str, Any] | None = None,
               names: dict[str, str] | None = None, condition: str | None = None,
               returns: str = "NONE") -> dict[str, Any] | None:
        """UpdateItem; returns the requested values, or None when the condition failed."""
        kwargs: dict[str, Any] = {"Key": it.to_ddb(key), "UpdateExpression": expression, "ReturnValues": returns}
        if values:
            kwargs["ExpressionAttributeValues"] = {k: it.attr(v) for k, v in values.items()}
        if names:
            kwargs["ExpressionAttributeNames"] = names
        if condition:
            kwargs["ConditionExpression"] = condition
        try:
            response = self.call("update_item", **kwargs)
        except ClientError as exc:
            if _code(exc) == "ConditionalCheckFailedException":
                return None
            raise
        return it.from_ddb(response.get("Attributes", {}))

    def query(self, **kwargs: Any) -> dict[str, Any]:
        return self.call("query", **kwargs)

    def transact(self, operations: list[dict[str, Any]]) -> None:
        """TransactWriteItems, retried with jitter when it lost to a concurrent transaction."""
        for attempt in range(CONFLICT_RETRIES):
            try:
                self.client.transact_write_items(TransactItems=operations)
                return
            except ClientError as exc:
                reasons = _cancel_reasons(exc)
                if _code(exc) in THROTTLED or (reasons and "TransactionConflict" in reasons and
                                               "ConditionalCheckFailed" not in reasons):
                    time.sleep(random.uniform(0, 0.02 * 2 ** attempt))
                    continue
                if _code(exc) == "TransactionCanceledException":
                    raise Cancelled(reasons) from exc
                raise
        raise TransientError("DynamoDB transaction kept conflicting")

    # ------------------------------------------------------------- transaction parts
    def put_op(self, row: dict[str, Any], condition: str | None = None, values: dict[str, Any] | None = None,
               names: dict[str, str] | None = None) -> dict[str, Any]:
        op: dict[str, Any] = {"TableName": self.table_name, "Item": it.to_ddb(row)}
        return {"Put": _with_condition(op, condition, values, names)}

    def update_op(self, key: dict[str, str], expression: str, values: dict[str, Any], names: dict[str, str],
                  condition: str | None = None) -> dict[str, Any]:
        op: dict[str, Any] = {"TableName": self.table_name, "Key": it.to_ddb(key), "UpdateExpression": expression}
        return {"Update": _with_condition(op, condition, values, names)}


def _with_condition(op: dict[str, Any], condition: str | None, values: dict[str, Any] | None,
                    names: dict[str, str] | None) -> dict[str, Any]:
    if condition:
        op["ConditionExpression"] = condition
    if values:
        op["ExpressionAttributeValues"] = {k: it.attr(v) for k, v in values.items()}
    if names:
        op["ExpressionAttributeNames"] = names
    return op


def encode_key(key: dict[str, Any]) -> str:
    plain = {name: value["S"] for name, value in key.items()}
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_key(cursor: str, gsi1pk: str) -> dict[str, Any]:
    """The start key a cursor names; refuse one that is garbled or belongs to another status."""
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key = {name: {"S": str(plain[name])} for name in ("pk", "sk", "gsi1pk", "gsi1sk")}
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor") from exc
    if key["gsi1pk"]["S"] != gsi1pk:
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor")
    return key
