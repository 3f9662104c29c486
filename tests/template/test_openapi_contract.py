"""The OpenAPI document is complete by construction: every operation documents its body, its
parameters, its success model at its real status, and every error in the one error format."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from quorum_local.openapi import DOCUMENT_PATH

DOCUMENT = json.loads(DOCUMENT_PATH.read_text())
PUBLIC = {"/v1/health", "/v1/openapi.json"}
ERROR_REF = "#/components/schemas/ErrorBody"
OPERATIONS = [(path, method, op) for path, methods in DOCUMENT["paths"].items() for method, op in methods.items()]


def schema_of(response: dict[str, Any]) -> dict[str, Any]:
    return response.get("content", {}).get("application/json", {}).get("schema") or {}


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS])
def test_every_operation_documents_its_whole_contract(path: str, method: str, operation: dict[str, Any]) -> None:
    responses = operation["responses"]
    successes = [code for code in responses if code.startswith("2")]
    assert successes and schema_of(responses[successes[0]]), f"no success model: {sorted(responses)}"
    # a route that also succeeds with another status (`@also_succeeds`) answers the same model at each
    assert all(schema_of(responses[code]) == schema_of(responses[successes[0]]) for code in successes)
    assert operation.get("summary"), "no summary"
    errors = {code: r for code, r in responses.items() if not code.startswith("2")}
    assert "500" in errors and "503" in errors
    assert all(schema_of(r) == {"$ref": ERROR_REF} for r in errors.values()), "an error outside the error format"
    if path not in PUBLIC:
        assert {"401", "403"} <= set(errors)
    if method in ("post", "put", "patch"):
        assert schema_of(operation.get("requestBody", {})), "no request body schema"
        assert {"400", "415", "422"} <= set(errors)
    declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path" and p.get("schema")}
    assert set(re.findall(r"\{(\w+)\}", path)) <= declared, "a path parameter without a schema"


def test_redemptions_are_documented_with_the_status_they_answer() -> None:
    assert "201" in DOCUMENT["paths"]["/v1/mall/redemptions"]["post"]["responses"]
    assert {"200", "202"} <= set(DOCUMENT["paths"]["/v1/reports"]["post"]["responses"])  # 200: a repeat report
    assert "201" in DOCUMENT["paths"]["/v1/cases/{case_id}/votes"]["post"]["responses"]
