"""Bodies an attacker sends, on every route that takes one, over HTTP on the local cloud: each is a 4xx in
the error format, never a 5xx (issue 15, defect 10)."""

from __future__ import annotations

import importlib
import re

import pytest
import requests
from e2e_cloud import LocalCloudProcess

from quorum_local.template import Template

ROLE_TABLES = ("quorum_report.handlers.api", "quorum_reward.handlers.api", "quorum_reviewer.handlers.api",
               "quorum_console.handlers.api")
BODIES = {
    "nested 1,000 deep (2 KB)": ("[" * 1000 + "]" * 1000, "body_too_deep"),
    "a duplicate key": ('{"reason": "spam", "reason": "fraud"}', "duplicate_key"),
    "a NUL in a string": ('{"reason": "sp\\u0000am"}', "control_character"),
}


def _routes_with_bodies() -> list[tuple[str, str]]:
    template = Template.load("local")
    from quorum_local.gateway import routes_from

    return sorted((r.method, r.path) for r in routes_from(template) if r.method in ("POST", "PUT", "PATCH"))


def _group_for(method: str, path: str) -> str:
    key = f"{method} {path}"
    for module in ROLE_TABLES:
        roles = importlib.import_module(module).ROLES
        if key in roles:
            return roles[key][0]
    raise LookupError(key)


@pytest.mark.parametrize(("method", "path"), _routes_with_bodies())
def test_every_route_with_a_body_refuses_hostile_json_with_a_422(local_cloud: LocalCloudProcess, method: str,
                                                                 path: str) -> None:
    url = local_cloud.api_url + re.sub(r"\{[^}]+\}", "listing", path)
    headers = {**local_cloud.headers("hostile-1", _group_for(method, path)), "Content-Type": "application/json"}
    for name, (body, code) in BODIES.items():
        answer = requests.request(method, url, data=body.encode(), headers=headers, timeout=10)
        assert answer.status_code == 422, (name, answer.status_code, answer.text[:200])
        assert answer.json()["error"]["code"] == code, name
