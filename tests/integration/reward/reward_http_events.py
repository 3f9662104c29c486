"""Build HTTP API (payload 2.0) events carrying JWT claims, and call the reward API handler with them."""

from __future__ import annotations

import json
from typing import Any

from quorum_local.gateway import event_for
from quorum_local.runtime import LocalContext

API_FUNCTION = "quorum-local-reward-api"


def http_event(method: str, path: str, *, sub: str | None = "u1", groups: Any = ("user",), body: Any = None,
               raw_body: str | None = None, headers: dict[str, str] | None = None,
               query: dict[str, str] | None = None) -> dict[str, Any]:
    """An API Gateway HTTP API event as the JWT authorizer leaves it (`sub=None`: no claims at all)."""
    text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
    claims = None if sub is None else {"sub": sub, "groups": list(groups) if isinstance(groups, tuple) else groups}
    return event_for(method, path, body=text, claims=claims, headers=headers, query=query)


def context() -> LocalContext:
    return LocalContext(function_name=API_FUNCTION, function_version="$LATEST", memory_limit_in_mb=512,
                        invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{API_FUNCTION}",
                        timeout_seconds=10)


def call(method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """Send one request to the reward API handler; returns (status, decoded JSON body)."""
    from quorum_reward.handlers import api

    response = api.handler(http_event(method, path, **kwargs), context())
    return response["statusCode"], json.loads(response["body"] or "null")
