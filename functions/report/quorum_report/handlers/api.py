"""HTTP entry point of the report capability (and of the API's health and OpenAPI routes)."""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from quorum_common.http import create_app
from quorum_report.handlers import cases, policies, reports
from quorum_report.handlers.telemetry import logger, metrics, tracer

# Checked before validation (so a wrong role is 403, not 422); each route checks its role again.
ROLES = {
    "POST /v1/reports": ("module",),
    "GET /v1/reports/{report_id}": ("module", "ops"),
    "GET /v1/cases": ("ops",),
    "GET /v1/cases/{case_id}": ("user", "ops"),
    "POST /v1/cases/{case_id}/votes": ("user",),
    "POST /v1/cases/{case_id}/resolution": ("ops",),
    "GET /v1/policies": ("ops",),
    "PUT /v1/policies/{module}": ("ops",),
}
app = create_app(logger, roles=ROLES)
app.include_router(reports.router)
app.include_router(cases.router)
app.include_router(policies.router)


@app.get("/v1/health")
def health() -> dict[str, str]:
    """Liveness: answers without touching any other service."""
    return {"status": "ok", "service": "quorum", "env": os.environ.get("QUORUM_ENV", "unknown")}


@cache
def _openapi_document() -> dict[str, Any]:
    return json.loads(resources.files("quorum_common").joinpath("openapi.json").read_text())


@app.get("/v1/openapi.json")
def openapi() -> dict[str, Any]:
    """The OpenAPI document of the whole public API (generated from every API function)."""
    return _openapi_document()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
