"""Metrics built by `observability`: each concurrent invocation flushes its own metrics.

Locally every handler runs in one process, concurrently in threads (the gateway, moto's server).
Powertools' `Metrics` keeps one metric set per process; in Lambda that is one invocation at a time.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from aws_lambda_powertools.metrics.provider import cold_start

from quorum_common.observability import observability

THREADS = 6


def emf_lines(out: str) -> list[dict[str, Any]]:
    return [blob for blob in map(json.loads, out.splitlines()) if "_aws" in blob]


def metric_names(blob: dict[str, Any]) -> list[str]:
    return [m["Name"] for m in blob["_aws"]["CloudWatchMetrics"][0]["Metrics"]]


def test_concurrent_invocations_each_flush_exactly_their_own_metric(capsys: pytest.CaptureFixture[str]) -> None:
    # Given a function's Metrics built at import time (this thread), with a default dimension
    _, metrics, _ = observability("concurrency")
    metrics.set_default_dimensions(stage="local")
    everyone_added = threading.Barrier(THREADS)

    @metrics.log_metrics
    def handler(event: dict[str, str], context: Any) -> str:
        metrics.add_metric(name=event["caller"], unit="Count", value=1)
        metrics.add_dimension(name="caller", value=event["caller"])
        metrics.add_metadata(key="caller", value=event["caller"])
        everyone_added.wait(timeout=10)  # no invocation flushes before all have added theirs
        return event["caller"]

    errors: list[BaseException] = []

    def invoke(caller: str) -> None:
        try:
            handler({"caller": caller}, None)
        except BaseException as exc:  # noqa: BLE001 - the test reports any invocation's failure
            errors.append(exc)

    # When six invocations run at once, in their own threads
    callers = [f"Caller{i}" for i in range(THREADS)]
    threads = [threading.Thread(target=invoke, args=(c,)) for c in callers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)

    # Then none failed and each printed one EMF blob holding only its own metric and dimensions
    assert errors == []
    blobs = emf_lines(capsys.readouterr().out)
    assert sorted(metric_names(b)[0] for b in blobs) == callers
    for blob in blobs:
        assert metric_names(blob) == [blob["caller"]]
        assert blob["service"] == "concurrency"
        assert blob["stage"] == "local"
    metrics.clear_default_dimensions()


def test_the_cold_start_metric_is_still_emitted_once(capsys: pytest.CaptureFixture[str]) -> None:
    _, metrics, _ = observability("coldstart")
    context = type("Context", (), {"function_name": "coldstart-fn"})()

    @metrics.log_metrics(capture_cold_start_metric=True)
    def handler(event: dict[str, str], context: Any) -> None:
        metrics.add_metric(name="Handled", unit="Count", value=1)

    cold_start.reset_cold_start_flag()
    handler({}, context)
    handler({}, context)

    blobs = emf_lines(capsys.readouterr().out)
    cold = [b for b in blobs if metric_names(b) == ["ColdStart"]]
    assert [(b["function_name"], b["service"]) for b in cold] == [("coldstart-fn", "coldstart")]
    assert [metric_names(b) for b in blobs if b not in cold] == [["Handled"], ["Handled"]]
