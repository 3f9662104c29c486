"""Build HTTP API (payload 2.0) events carrying JWT claims, and call the reward API handler with them."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

from quorum_local.runtime import LocalContext

API_FUNCTION = "quorum-local-reward-api"


def http_event(method: str, path: str, *, sub: str | None = "u1", groups: Any = ("user",), body: Any = None,
               raw_body: str | None = None, headers: dict[str, str] | None = None,
               query: dict[str, str] | None = None) -> dict[str, Any]:
    """An API Gateway HTTP API event as the JWT authorizer leaves it (`sub=None`: no claims at all)."""
    text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
    claims = {} if sub is None else {"sub": sub, "groups": list(groups) if isinstance(groups, tuple) else groups}
    return {
        "version": "2.0", "routeKey": f"{method} {path}", "rawPath": path,
        "rawQueryString": urlencode(query or {}), "queryStringParameters": query or None,
        "headers": {"content-type": "application/json", **{k.lower(): v for k, v in (headers or {}).items()}},
        "requestContext": {
            "accountId": "123456789012", "apiId": "local", "domainName": "localhost", "stage": "$default",
            "requestId": str(uuid.uuid4()), "routeKey": f"{method} {path}", "time": "01/Mar/2025:12:00:00 +0000",
            "timeEpoch": 1740830400000,
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                     "userAgent": "pytest"},
            "authorizer": {"jwt": {"claims": claims, "scopes": None}} if claims else {},
        },
        "body": text, "isBase64Encoded": False,
    }


def context() -> LocalContext:
    return LocalContext(function_name=API_FUNCTION, function_version="$LATEST", memory_limit_in_mb=512,
                        invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{API_FUNCTION}",
                        timeout_seconds=10)


def call(method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """Send one request to the reward API handler; returns (status, decoded JSON body)."""
    from quorum_reward.handlers import api

    response = api.handler(http_event(method, path, **kwargs), context())
    return response["statusCode"], json.loads(response["body"] or "null")
