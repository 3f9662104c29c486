"""HTTP entry point of the reviewer capability: profiles, the reviewer inbox, reviewer administration."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from quorum_common.http import create_app
from quorum_common.observability import observability
from quorum_reviewer.handlers.routes import admin, profiles

logger, metrics, tracer = observability("reviewer")
app = create_app(logger, profiles.router, admin.router)
ROLES = app.roles


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
