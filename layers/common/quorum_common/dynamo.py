"""How Quorum speaks to DynamoDB: one helper for every capability's adapters.

A capability's adapter says *what* to store (keys, items, expressions, conditions); `Table` says
*how*:

- values go through boto3's `TypeSerializer` / `TypeDeserializer` with one number rule (floats are
  stored as exact decimals; numbers come back as `int` when whole, else `float`; sets stay sets);
- throttling and DynamoDB's own transient failures (after botocore's retries) raise
  `TransientError`, which the HTTP edge answers with 503 and the state machine retries;
- a failed condition raises `ConditionFailed` (with the old item when DynamoDB returns it), a
  cancelled transaction `TransactionCancelled` (one reason and old item per operation);
- a transaction that lost only to a concurrent one is retried here, with jittered backoff;
- queries are paginated with botocore's paginator; batches retry their unprocessed part with backoff.

Expression values are passed as plain Python, keyed as in the expression (`{":n": 1}`).
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import time
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from quorum_common import aws
from quorum_common.errors import InvalidInput, TransientError

Item = dict[str, Any]
TRANSIENT_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "InternalServerError", "TransactionInProgressException", "TransactionConflictException",
})
RETRYABLE_REASONS = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})
CONFLICT_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 0.02
BATCH_ATTEMPTS = 8
BATCH_GET_MAX = 100
BATCH_WRITE_MAX = 25


class ConditionFailed(Exception):
    """A conditional write did not happen; `old` is the item as it was (None if DynamoDB did not say)."""

    def __init__(self, old: Item | None = None):
        super().__init__("condition failed")
        self.old = old


class TransactionCancelled(Exception):
    """A transaction was cancelled by a condition; `codes[i]` and `items[i]` belong to operation i."""

    def __init__(self, reasons: Sequence[Mapping[str, Any]]):
        self.codes = [str(r.get("Code", "None")) for r in reasons]
        self.items = [from_item(r["Item"]) if r.get("Item") else None for r in reasons]
        super().__init__(", ".join(self.codes))

    def failed(self, index: int) -> bool:
        """Whether operation `index` is the one whose condition failed."""
        return index < len(self.codes) and self.codes[index] == "ConditionalCheckFailed"

    @property
    def retryable(self) -> bool:
        """Lost to a concurrent transaction or to throttling, with no condition failed: a retry may succeed."""
        return bool(RETRYABLE_REASONS & set(self.codes)) and "ConditionalCheckFailed" not in self.codes


# ---------------------------------------------------------------------- values
def _to_wire(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes, Decimal)):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return value
    if isinstance(value, Mapping):
        return {str(k): _to_wire(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return {_to_wire(v) for v in value}
    if isinstance(value, (list, tuple)):
        return [_to_wire(v) for v in value]
    if isinstance(value, str):  # str subclasses (StrEnum)
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB")


def _from_wire(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_wire(v) for v in value]
    if isinstance(value, set):
        return {_from_wire(v) for v in value}
    return value


def serialize(value: Any) -> dict[str, Any]:
    """One Python value as a DynamoDB attribute value."""
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer().serialize(_to_wire(value))


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """A plain dict as a DynamoDB item; None values are left out (DynamoDB has no 'absent' value)."""
    return {k: serialize(v) for k, v in values.items() if v is not None}


def from_item(raw: Mapping[str, Any]) -> Item:
    """A DynamoDB item as plain Python."""
    from boto3.dynamodb.types import TypeDeserializer

    de = TypeDeserializer()
    return {k: _from_wire(de.deserialize(v)) for k, v in raw.items()}


def _values(values: Mapping[str, Any] | None) -> dict[str, Any]:
    return {"ExpressionAttributeValues": {k: serialize(v) for k, v in values.items()}} if values else {}


def _names(names: Mapping[str, str] | None) -> dict[str, Any]:
    return {"ExpressionAttributeNames": dict(names)} if names else {}


def _condition(condition: str | None) -> dict[str, Any]:
    return {"ConditionExpression": condition} if condition else {}


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, BACKOFF_BASE_SECONDS * 2 ** attempt))


# ---------------------------------------------------------------------- cursors
def encode_cursor(value: Any) -> str:
    """An opaque, URL-safe cursor for a start key (or any JSON value)."""
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    """The value `encode_cursor` made; anything else is the caller's mistake (422 invalid_cursor)."""
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The cursor is not one this service returned.", code="invalid_cursor") from exc


# ---------------------------------------------------------------------- the table
class Table:
    """One DynamoDB table by name; the client is the process's shared one, built on first use."""

    def __init__(self, name: str, client: Any = None):
        self.name = name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = aws.client("dynamodb")
        return self._client

    def call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """One request on this table; transient failures become `TransientError`."""
        try:
            result: dict[str, Any] = getattr(self.client, operation)(**kwargs)
            return result
        except Exception as exc:
            if aws.error_code(exc) in TRANSIENT_CODES:
                raise TransientError(f"DynamoDB {operation} on {self.name}: {aws.error_code(exc)}") from exc
            raise

    # ------------------------------------------------------------------ single items
    def get(self, key: Mapping[str, Any], *, consistent: bool = True, projection: str | None = None,
            names: Mapping[str, str] | None = None) -> Item | None:
        """The item at `key`, or None."""
        extra = {"ProjectionExpression": projection} if projection else {}
        raw = self.call("get_item", TableName=self.name, Key=to_item(key), ConsistentRead=consistent,
                        **extra, **_names(names)).get("Item")
        return from_item(raw) if raw else None

    def put(self, item: Mapping[str, Any], *, condition: str | None = None, values: Mapping[str, Any] | None = None,
            names: Mapping[str, str] | None = None) -> None:
        """PutItem; `ConditionFailed` (with the old item) when `condition` does not hold."""
        self._conditional("put_item", Item=to_item(item), **_condition(condition), **_values(values), **_names(names))

    def update(self, key: Mapping[str, Any], expression: str, *, values: Mapping[str, Any] | None = None,
               names: Mapping[str, str] | None = None, condition: str | None = None,
               returns: str = "NONE") -> Item:
        """UpdateItem; returns the attributes `returns` asks for, `ConditionFailed` when the condition fails."""
        response = self._conditional("update_item", Key=to_item(key), UpdateExpression=expression, ReturnValues=returns,
                                     **_condition(condition), **_values(values), **_names(names))
        return from_item(response.get("Attributes", {}))

    def delete(self, key: Mapping[str, Any], *, condition: str | None = None,
               values: Mapping[str, Any] | None = None, names: Mapping[str, str] | None = None) -> None:
        """DeleteItem; `ConditionFailed` when the condition fails."""
        self._conditional("delete_item", Key=to_item(key), **_condition(condition), **_values(values), **_names(names))

    def _conditional(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        if "ConditionExpression" in kwargs:
            kwargs["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            return self.call(operation, TableName=self.name, **kwargs)
        except Exception as exc:
            if aws.error_code(exc) != "ConditionalCheckFailedException":
                raise
            old = getattr(exc, "response", {}).get("Item")
            raise ConditionFailed(from_item(old) if old else None) from exc

    # ------------------------------------------------------------------ queries
    def query(self, key_condition: str, values: Mapping[str, Any], *, names: Mapping[str, str] | None = None,
              index: str | None = None, limit: int | None = None, newest_first: bool = False,
              **extra: Any) -> list[Item]:
        """Every matching item (at most `limit`), read page after page with botocore's paginator."""
        kwargs = self._query_args(key_condition, values, names, index, newest_first, extra)
        paging = {"PaginationConfig": {"MaxItems": limit}} if limit else {}
        found: list[Item] = []
        try:
            for page in self.client.get_paginator("query").paginate(**kwargs, **paging):
                found += [from_item(raw) for raw in page.get("Items", [])]
        except Exception as exc:
            if aws.error_code(exc) in TRANSIENT_CODES:
                raise TransientError(f"DynamoDB query on {self.name}: {aws.error_code(exc)}") from exc
            raise
        return found[:limit] if limit else found

    def query_page(self, key_condition: str, values: Mapping[str, Any], *, limit: int,
                   start: Mapping[str, Any] | None = None, names: Mapping[str, str] | None = None,
                   index: str | None = None, newest_first: bool = False,
                   **extra: Any) -> tuple[list[Item], Item | None]:
        """One page of at most `limit` items after `start`, and the key to continue from (None: done)."""
        kwargs = self._query_args(key_condition, values, names, index, newest_first, extra)
        if start:
            kwargs["ExclusiveStartKey"] = to_item(start)
        response = self.call("query", Limit=limit, **kwargs)
        last = response.get("LastEvaluatedKey")
        return [from_item(raw) for raw in response.get("Items", [])], from_item(last) if last else None

    def _query_args(self, key_condition: str, values: Mapping[str, Any], names: Mapping[str, str] | None,
                    index: str | None, newest_first: bool, extra: dict[str, Any]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"TableName": self.name, "KeyConditionExpression": key_condition,
                                  "ScanIndexForward": not newest_first, **_values(values), **_names(names), **extra}
        if index:
            kwargs["IndexName"] = index
        else:
            kwargs.setdefault("ConsistentRead", True)
        return kwargs

    # ------------------------------------------------------------------ transactions
    def transact(self, operations: Sequence[Mapping[str, Any]]) -> None:
        """TransactWriteItems; `TransactionCancelled` when a condition refused it. A transaction that lost
        only to a concurrent one is retried with jittered backoff, then reported as `TransientError`."""
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                self.call("transact_write_items", TransactItems=list(operations))
                return
            except TransientError:
                pass  # DynamoDB's TransactionConflictException: another transaction held an item
            except Exception as exc:
                if aws.error_code(exc) != "TransactionCanceledException":
                    raise
                cancelled = TransactionCancelled(getattr(exc, "response", {}).get("CancellationReasons", []))
                if not cancelled.retryable:
                    raise cancelled from exc
            _backoff(attempt)
        raise TransientError(f"A transaction on {self.name} kept colliding with concurrent ones.")

    def put_op(self, item: Mapping[str, Any], condition: str | None = None, values: Mapping[str, Any] | None = None,
               names: Mapping[str, str] | None = None, *, return_old: bool = False) -> dict[str, Any]:
        """A Put of a transaction."""
        old = {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"} if return_old else {}
        return {"Put": {"TableName": self.name, "Item": to_item(item), **_condition(condition), **_values(values),
                        **_names(names), **old}}

    def update_op(self, key: Mapping[str, Any], expression: str, values: Mapping[str, Any] | None = None,
                  names: Mapping[str, str] | None = None, condition: str | None = None, *,
                  return_old: bool = False) -> dict[str, Any]:
        """An Update of a transaction."""
        old = {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"} if return_old else {}
        return {"Update": {"TableName": self.name, "Key": to_item(key), "UpdateExpression": expression,
                           **_condition(condition), **_values(values), **_names(names), **old}}

    def delete_op(self, key: Mapping[str, Any], condition: str | None = None, values: Mapping[str, Any] | None = None,
                  names: Mapping[str, str] | None = None) -> dict[str, Any]:
        """A Delete of a transaction."""
        return {"Delete": {"TableName": self.name, "Key": to_item(key), **_condition(condition), **_values(values),
                           **_names(names)}}

    # ------------------------------------------------------------------ batches
    def batch_get(self, keys: Sequence[Mapping[str, Any]]) -> list[Item]:
        """The items at `keys` (missing ones are left out), 100 keys a request, unprocessed keys retried."""
        found: list[Item] = []
        for start in range(0, len(keys), BATCH_GET_MAX):
            request = {self.name: {"Keys": [to_item(k) for k in keys[start:start + BATCH_GET_MAX]],
                                   "ConsistentRead": True}}
            for attempt in range(BATCH_ATTEMPTS):
                response = self.call("batch_get_item", RequestItems=request)
                found += [from_item(raw) for raw in response.get("Responses", {}).get(self.name, [])]
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
                _backoff(attempt)
            else:
                raise TransientError(f"DynamoDB kept keys of {self.name} unprocessed.")
        return found

    def batch_write(self, puts: Iterable[Mapping[str, Any]] = (), deletes: Iterable[Mapping[str, Any]] = ()) -> int:
        """Unconditional puts and deletes, 25 a request, unprocessed items retried; returns how many."""
        requests = ([{"PutRequest": {"Item": to_item(i)}} for i in puts]
                    + [{"DeleteRequest": {"Key": to_item(k)}} for k in deletes])
        for start in range(0, len(requests), BATCH_WRITE_MAX):
            pending: dict[str, Any] = {self.name: requests[start:start + BATCH_WRITE_MAX]}
            for attempt in range(BATCH_ATTEMPTS):
                pending = self.call("batch_write_item", RequestItems=pending).get("UnprocessedItems") or {}
                if not pending:
                    break
                _backoff(attempt)
            else:
                raise TransientError(f"DynamoDB kept writes to {self.name} unprocessed.")
        return len(requests)
