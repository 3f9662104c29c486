"""An unknown module is 422 `unknown_module` on every route that takes one, in the path or in the body, over
HTTP on the local cloud (issue 15, item 5). The routes are found in the OpenAPI document, so a new route
that takes a module joins the table or fails the first test."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import requests
from e2e_cloud import LocalCloudProcess

from quorum_local.openapi import DOCUMENT_PATH

RULE = {"points_per_vote": 1, "consensus_bonus": 1, "daily_cap": 9}
POLICY = {"panel_size": 3, "votes_to_win": 2, "vote_window_seconds": 600, "substitute_rounds": 1, "min_votes": 2}


def _report(module: Any) -> dict[str, Any]:
    return {"reporter_id": "r-1", "reason": "spam",
            "target": {"module": module, "id": "t-1", "owner_id": "o-1", "content": {"text": "hello"}}}


# route -> (group that may call it, how to send it `module`): each a request a caller could really make
Send = Callable[[str, Any], tuple[str, str, Any]]
ROUTES: dict[str, tuple[str, Send]] = {
    "PUT /v1/policies/{module}": ("ops", lambda api, m: ("PUT", f"{api}/v1/policies/{m}", POLICY)),
    "PUT /v1/reward-rules/{module}": ("ops", lambda api, m: ("PUT", f"{api}/v1/reward-rules/{m}", RULE)),
    "POST /v1/reports": ("module", lambda api, m: ("POST", f"{api}/v1/reports", _report(m))),
}
IN_PATH = ["forum", "LISTING", "x" * 40, "listing.", "%E2%9C%93"]
IN_BODY = [*IN_PATH[:4], "", 5, None, ["listing"]]


def _takes_a_module(schema: Any, schemas: dict[str, Any], seen: frozenset[str] = frozenset()) -> bool:
    if isinstance(schema, list):
        return any(_takes_a_module(s, schemas, seen) for s in schema)
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref", "").rsplit("/", 1)[-1]
    if ref:
        return ref not in seen and _takes_a_module(schemas[ref], schemas, seen | {ref})
    return "module" in schema.get("properties", {}) or any(_takes_a_module(v, schemas, seen) for v in schema.values())


def test_the_table_names_every_route_that_takes_a_module() -> None:
    document = json.loads(DOCUMENT_PATH.read_text())
    schemas = document["components"]["schemas"]
    found = {f"{method.upper()} {path}" for path, operations in document["paths"].items()
             for method, op in operations.items()
             if any(p["name"] == "module" for p in op.get("parameters", []))
             or _takes_a_module(op.get("requestBody", {}), schemas)}
    assert found == set(ROUTES)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_an_unknown_module_is_422_unknown_module(local_cloud: LocalCloudProcess, route: str) -> None:
    group, send = ROUTES[route]
    headers = local_cloud.headers(f"{group}-unknown-module", group)
    for module in IN_PATH if "{module}" in route else IN_BODY:
        method, url, body = send(local_cloud.api_url, module)
        answer = requests.request(method, url, json=body, headers=headers, timeout=10)
        error = answer.json()["error"]
        assert (answer.status_code, error["code"]) == (422, "unknown_module"), (route, module, answer.text[:300])
        assert error["message"].startswith("Unknown module; expected one of listing, post")
        assert any(d["field"].endswith("module") for d in error["details"]), error


def test_a_known_module_still_passes(local_cloud: LocalCloudProcess) -> None:
    answer = requests.put(f"{local_cloud.api_url}/v1/reward-rules/chat", json=RULE, timeout=10,
                          headers=local_cloud.headers("ops-known-module", "ops"))
    assert answer.status_code == 200 and answer.json()["module"] == "chat"
