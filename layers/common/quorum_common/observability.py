"""Logger, Metrics and Tracer built the same way in every function.

Service names are passed in code, not through POWERTOOLS_SERVICE_NAME: locally every function
shares one process and one environment. The metrics namespace, log level and tracing switch do
come from the environment (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL,
POWERTOOLS_TRACE_DISABLED), the same for every function.

When tracing is switched off, a pass-through stands in for Powertools' Tracer: constructing
Tracer imports the X-Ray SDK (about 100 ms of cold start here) even when it is disabled.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics

DEFAULT_NAMESPACE = "Quorum"  # template.yaml Globals: POWERTOOLS_METRICS_NAMESPACE


class TracingOff:
    """The subset of Tracer's interface Quorum uses, doing nothing."""

    def capture_lambda_handler(self, fn: Callable[..., Any] | None = None, **_: Any) -> Any:
        return fn if fn is not None else (lambda inner: inner)

    def capture_method(self, fn: Callable[..., Any] | None = None, **_: Any) -> Any:
        return fn if fn is not None else (lambda inner: inner)

    def put_annotation(self, key: str, value: Any) -> None:
        """Dropped: tracing is off."""

    def put_metadata(self, key: str, value: Any, namespace: str | None = None) -> None:
        """Dropped: tracing is off."""


def tracing_enabled() -> bool:
    return os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").lower() not in ("1", "true")


def observability(service: str) -> tuple[Logger, Metrics, Any]:
    """The Logger, Metrics and Tracer (or `TracingOff`) of one capability's function."""
    if tracing_enabled():
        from aws_lambda_powertools import Tracer

        tracer: Any = Tracer(service=service)
    else:
        tracer = TracingOff()
    # The template's namespace when the variable is not (yet) set: a module imported before its
    # environment (a test collecting it) must still flush its metrics, not fail with "no namespace".
    namespace = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or DEFAULT_NAMESPACE
    return Logger(service=service), Metrics(service=service, namespace=namespace), tracer
