"""The reward table through a low-level DynamoDB client, built on first use.

Items are plain dicts at the edges of this module (see `attributes`). `Table.transact()` turns
a cancelled transaction into `Cancelled` with one reason per operation, in order, so adapters
can tell which condition failed (or that another transaction got there first: `WriteConflict`).
Throttling that outlasts botocore's retries becomes `TransientError` (HTTP 503; the state
machine retries it).
"""

from __future__ import annotations

import threading
from typing import Any

from quorum_reward.adapters.attributes import av, plain
from quorum_reward.domain.errors import TransientError

_lock = threading.Lock()
_clients: dict[str, Any] = {}
# Still failing after botocore's own retries: tell the caller to come back later.
THROTTLED = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
                       "TransactionInProgressException"})


def dynamodb_client() -> Any:
    """One DynamoDB client per process, made on first use (boto3 is imported here, not at import)."""
    with _lock:  # concurrent first calls must not build clients from one session at once
        if "dynamodb" not in _clients:
            import boto3
            from botocore.config import Config

            config = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=5)
            _clients["dynamodb"] = boto3.session.Session().client("dynamodb", config=config)
        return _clients["dynamodb"]


class Cancelled(Exception):
    """A transaction was cancelled; `codes[i]` is the reason of operation i, `items[i]` its old item."""

    def __init__(self, reasons: list[dict[str, Any]]):
        super().__init__(", ".join(r.get("Code", "None") for r in reasons))
        self.codes = [r.get("Code", "None") for r in reasons]
        self.items = [plain(r["Item"]) if r.get("Item") else None for r in reasons]

    def failed(self, index: int) -> bool:
        return self.codes[index] == "ConditionalCheckFailed"


class ConditionFailed(Exception):
    """A conditional write did not happen; `old` is the item as it was."""

    def __init__(self, old: dict[str, Any]):
        super().__init__("condition failed")
        self.old = old


class Table:
    """One DynamoDB table by name, with the client made on first use."""

    def __init__(self, name: str, client: Any | None = None):
        self.name = name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = dynamodb_client()
        return self._client

    def key(self, pk: str, sk: str) -> dict[str, Any]:
        return {"pk": av(pk), "sk": av(sk)}

    def get(self, pk: str, sk: str) -> dict[str, Any] | None:
        raw = self._call("get_item", Key=self.key(pk, sk), ConsistentRead=True).get("Item")
        return plain(raw) if raw else None

    def query(self, pk: str, prefix: str = "", limit: int | None = None, newest_first: bool = False,
              index: str | None = None) -> list[dict[str, Any]]:
        """Items of one partition (of the table or of `gsi1`) whose sort key starts with `prefix`."""
        pk_name, sk_name = ("gsi1pk", "gsi1sk") if index else ("pk", "sk")
        args: dict[str, Any] = {"KeyConditionExpression": "#p = :p", "ExpressionAttributeNames": {"#p": pk_name},
                                "ExpressionAttributeValues": {":p": av(pk)}, "ScanIndexForward": not newest_first}
        if prefix:
            args["KeyConditionExpression"] += " AND begins_with(#s, :s)"
            args["ExpressionAttributeNames"]["#s"] = sk_name
            args["ExpressionAttributeValues"][":s"] = av(prefix)
        if index:
            args["IndexName"] = index
        else:
            args["ConsistentRead"] = True
        return [plain(raw) for raw in self._paged_query(args, limit)]

    def _paged_query(self, args: dict[str, Any], limit: int | None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while limit is None or len(found) < limit:
            page_args = {**args, "Limit": limit - len(found)} if limit else args
            page = self._call("query", **page_args)
            found += page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                break
            args = {**args, "ExclusiveStartKey": page["LastEvaluatedKey"]}
        return found

    def transact(self, operations: list[dict[str, Any]]) -> None:
        """Run `operations` ({"Put"|"Update"|...: {...}}) as one transaction on this table."""
        ops = [{kind: {"TableName": self.name, **body} for kind, body in op.items()} for op in operations]
        try:
            self.client.transact_write_items(TransactItems=ops)
        except Exception as exc:
            code = _error_code(exc)
            if code == "TransactionCanceledException":
                raise Cancelled(exc.response.get("CancellationReasons", [])) from exc  # type: ignore[attr-defined]
            if code in THROTTLED:
                raise TransientError("The reward table is busy; retry shortly.") from exc
            raise

    def update(self, **kwargs: Any) -> dict[str, Any]:
        """UpdateItem returning the new item; `ConditionFailed` carries the old one if the condition failed."""
        try:
            return plain(self._call("update_item", ReturnValues="ALL_NEW",
                                    ReturnValuesOnConditionCheckFailure="ALL_OLD", **kwargs)["Attributes"])
        except Exception as exc:
            if _error_code(exc) != "ConditionalCheckFailedException":
                raise
            raise ConditionFailed(plain(exc.response.get("Item", {}))) from exc  # type: ignore[attr-defined]

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(self.client, operation)(TableName=self.name, **kwargs)
        except Exception as exc:
            if _error_code(exc) in THROTTLED:
                raise TransientError("The reward table is busy; retry shortly.") from exc
            raise


def _error_code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    return (response or {}).get("Error", {}).get("Code") if isinstance(response, dict) else None
