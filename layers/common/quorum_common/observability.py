"""Logger, Metrics and Tracer built the same way in every function.

Service names are passed in code, not through POWERTOOLS_SERVICE_NAME: locally every function
shares one process and one environment. The metrics namespace, log level and tracing switch do
come from the environment (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL,
POWERTOOLS_TRACE_DISABLED), the same for every function.

When tracing is switched off, a pass-through stands in for Powertools' Tracer: constructing
Tracer imports the X-Ray SDK (about 100 ms of cold start here) even when it is disabled.

Metrics keep their data per thread (`ThreadLocalEMFProvider`): Powertools shares one metric set
per process, right in Lambda (one invocation at a time) but not locally, where concurrent
invocations run in threads of one process and would flush, or fail on, each other's metrics.

When it is on, Tracer does not patch at construction (its `patch_all` imports botocore's client
machinery, about 75 ms, before the handler needs it): botocore, the only library Quorum's functions
call out through, is patched by a post-import hook when `botocore.client` is first imported, that
is when a handler builds its first client. Every AWS call still gets its subsegment.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any, Generic, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

DEFAULT_NAMESPACE = "Quorum"  # template.yaml Globals: POWERTOOLS_METRICS_NAMESPACE

T = TypeVar("T")


class _PerThread(Generic[T]):
    """An attribute whose value belongs to the reading thread, made on its first read there."""

    def __init__(self, make: Callable[[Any], T]) -> None:
        self.make = make

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, provider: Any, owner: type | None = None) -> T:
        if not hasattr(provider._local, self.name):
            setattr(provider._local, self.name, self.make(provider))
        return getattr(provider._local, self.name)

    def __set__(self, provider: Any, value: T) -> None:
        setattr(provider._local, self.name, value)


class ThreadLocalEMFProvider(AmazonCloudWatchEMFProvider):
    """Powertools' EMF provider with each thread's metrics, dimensions and metadata its own.

    Default dimensions (set once, at import) stay shared; a thread's dimensions start from them.
    """

    metric_set = _PerThread[dict[str, Any]](lambda _: {})
    dimension_set = _PerThread[dict[str, str]](lambda p: {k: str(v) for k, v in p.default_dimensions.items()})
    dimension_sets = _PerThread[list[dict[str, str]]](lambda _: [])
    metadata_set = _PerThread[dict[str, Any]](lambda _: {})
    timestamp = _PerThread[int | None](lambda _: None)

    def __init__(self, **kwargs: Any) -> None:
        self._local = threading.local()
        super().__init__(**kwargs)


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
    metrics = Metrics(provider=ThreadLocalEMFProvider(service=service, namespace=namespace))
    return Logger(service=service), metrics, tracer
