"""The report API's Logger, Metrics and Tracer, shared by its routers and its entry point."""

from __future__ import annotations

from quorum_common.observability import observability

logger, metrics, tracer = observability("report")
