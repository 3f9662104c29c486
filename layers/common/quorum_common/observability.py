"""Logger, Metrics and Tracer built the same way in every function.

Service names are passed in code, not through POWERTOOLS_SERVICE_NAME: locally every function
shares one process and one environment. The metrics namespace, log level and tracing switch do
come from the environment (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL,
POWERTOOLS_TRACE_DISABLED), the same for every function.

When tracing is switched off, a pass-through stands in for Powertools' Tracer: constructing
Tracer imports the X-Ray SDK (about 100 ms of cold start here) even when it is disabled.

When it is on, Tracer does not patch at construction (its `patch_all` imports botocore's client
machinery, about 75 ms, before the handler needs it): botocore, the only library Quorum's functions
call out through, is patched by a post-import hook when `botocore.client` is first imported, that
is when a handler builds its first client. Every AWS call still gets its subsegment.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType
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


def _patch_botocore(client_module: ModuleType) -> None:
    """Give botocore's clients X-Ray subsegments, once `botocore.client` has been imported."""
    import botocore
    from aws_xray_sdk.core import patch

    # The hook runs before the import system binds the submodule to its package.
    if getattr(botocore, "client", None) is None:
        botocore.client = client_module
    patch(["botocore"])


def observability(service: str) -> tuple[Logger, Metrics, Any]:
    """The Logger, Metrics and Tracer (or `TracingOff`) of one capability's function."""
    if tracing_enabled():
        import wrapt  # the X-Ray SDK imports it too: no cost beyond the SDK's
        from aws_lambda_powertools import Tracer

        tracer: Any = Tracer(service=service, auto_patch=False)
        wrapt.register_post_import_hook(_patch_botocore, "botocore.client")
    else:
        tracer = TracingOff()
    # The template's namespace when the variable is not (yet) set: a module imported before its
    # environment (a test collecting it) must still flush its metrics, not fail with "no namespace".
    namespace = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or DEFAULT_NAMESPACE
    return Logger(service=service), Metrics(service=service, namespace=namespace), tracer
