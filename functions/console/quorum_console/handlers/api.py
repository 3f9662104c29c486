"""HTTP entry point of the console capability: the console's files and the releases view."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from quorum_common.http import create_app
from quorum_console.handlers.routes import releases, static
from quorum_console.handlers.wiring import logger, metrics, tracer

app = create_app(logger, static.router, releases.router)
ROLES = app.roles  # each route's `@allow` groups by route key (the template test reads it)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
