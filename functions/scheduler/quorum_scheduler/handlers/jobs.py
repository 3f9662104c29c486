"""Entry point of the EventBridge Scheduler schedules in template.yaml."""

from __future__ import annotations

from typing import Any

from quorum_common.observability import observability
from quorum_scheduler.jobs import run_job

logger, metrics, tracer = observability("scheduler")


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from quorum_common.rpc import default_client  # built on first use: the discovery client is not free

    job = str(event.get("job", ""))
    logger.append_keys(job=job)
    outcome = run_job(job, default_client())
    logger.info("job done", extra={"outcome": outcome})
    return outcome
