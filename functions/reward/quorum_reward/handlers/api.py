"""HTTP entry point of the reward capability: points, the mall and reward rules."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from quorum_common.http import create_app
from quorum_common.observability import observability
from quorum_reward.handlers.routes import ledger, mall, rules

logger, metrics, tracer = observability("reward")
app = create_app(logger, ledger.router, mall.router, rules.router)
ROLES = app.roles  # each route's `@allow` groups by route key (the template test reads it)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
