"""HTTP entry point of the report capability (and of the API's health and OpenAPI routes)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from quorum_common.http import create_app
from quorum_report.handlers.routes import cases, meta, policies, reports
from quorum_report.handlers.wiring import logger, metrics, tracer

app = create_app(logger, meta.router, reports.router, cases.router, policies.router)
ROLES = app.roles  # who may call each route, from the routes' @allow (the template test reads it)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
