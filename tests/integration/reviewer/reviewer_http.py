"""Helpers of the reviewer integration tests: payload-2.0 events with JWT claims, handler calls, table dumps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from quorum_local.gateway import event_for
from quorum_local.runtime import LocalContext


def http_event(method: str, path: str, *, sub: str | None = "u1", groups: Any = ("user",),
               body: Any = None, raw_body: str | None = None, quorum_module: str | None = None) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event as API Gateway builds it after its JWT authorizer."""
    claims = None
    if sub is not None:
        claims = {"sub": sub, "groups": list(groups) if isinstance(groups, (list, tuple)) else groups}
        if quorum_module is not None:
            claims["quorum_module"] = quorum_module
    text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
    return event_for(method, path, body=text, claims=claims)


def context(name: str = "quorum-local-reviewer-api") -> LocalContext:
    return LocalContext(function_name=name, function_version="1", memory_limit_in_mb=512, timeout_seconds=10,
                        invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}")


def call_api(method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """Run the reviewer API handler on one request; the status and the decoded JSON body."""
    from quorum_reviewer.handlers.api import handler

    response = handler(http_event(method, path, **kwargs), context())
    return response["statusCode"], json.loads(response["body"] or "null")


def call_worker(event: dict[str, Any]) -> dict[str, Any]:
    """Run the reviewer worker handler in-process (as the state machine's task would)."""
    from quorum_reviewer.handlers.worker import handler

    return handler(event, context("quorum-local-reviewer-worker"))


def table_items(table: str) -> list[dict[str, Any]]:
    """Every item of a table (tests only: the service itself never scans)."""
    client, items, kwargs = boto3.client("dynamodb"), [], {}
    while True:
        page = client.scan(TableName=table, **kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def ago(days: float) -> str:
    """An ISO-8601 timestamp `days` before now, with an explicit offset."""
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def profile_body(**overrides: Any) -> dict[str, Any]:
    """A profile that meets the default enrollment rule unless overridden."""
    body = {"tags": ["trusted"], "last_active_at": ago(1), "registered_at": ago(400), "credit_score": 700}
    return {**body, **overrides}
