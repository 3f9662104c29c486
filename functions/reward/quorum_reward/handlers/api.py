"""HTTP entry point of the reward capability: points, the mall and reward rules."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from quorum_common.http import create_app
from quorum_common.observability import observability
from quorum_reward.handlers import routes_ledger, routes_mall, routes_rules

logger, metrics, tracer = observability("reward")
# Checked before validation (so a wrong role is 403, not 422); each route checks its role again.
ROLES = {
    "GET /v1/rewards/me": ("user",),
    "GET /v1/mall/items": ("user", "ops"),
    "PUT /v1/mall/items/{item_id}": ("ops",),
    "POST /v1/mall/redemptions": ("user",),
    "GET /v1/mall/redemptions": ("user",),
    "GET /v1/reward-rules": ("ops",),
    "PUT /v1/reward-rules/{module}": ("ops",),
}
app = create_app(logger, roles=ROLES)
for area in (routes_ledger, routes_mall, routes_rules):
    app.include_router(area.router)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
