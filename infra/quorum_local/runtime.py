"""Run Lambda handlers in-process behind moto's Lambda invoke path.

moto runs Lambda code only in Docker; every invoke path (direct Invoke, Step Functions tasks,
SNS subscriptions) ends in `LambdaFunction._invoke_lambda(event)`. Replacing that one method
makes all of them run the project's real handlers in this process, with no Docker. A version
published by `quorum-local publish` runs its own snapshot of the code in a child process
(`quorum_local.versions`), so two versions of a function answer side by side.

As in Lambda, an asynchronous invoke (`InvocationType=Event`) whose handler fails is tried twice
more. With `QUORUM_FAULTS` set (see `faults.py`), a share of invocations fail after their
handler ran (in this process; a published version's child process runs without faults).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
import traceback
import uuid
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from moto.awslambda.models import LambdaFunction

from quorum_local import versions
from quorum_local.faults import FaultPlan, injected_fault, plan_from
from quorum_local.template import ROOT, Template

_original_invoke = LambdaFunction._invoke_lambda
_original_function_invoke = LambdaFunction.invoke
ASYNC_ATTEMPTS = 3  # Lambda retries a failed asynchronous invocation twice
_calls = threading.local()  # whether the invocation running on this thread is asynchronous
_faults = FaultPlan()


class EnvironmentClash(Exception):
    """Two functions give one environment variable different values; locally they share a process."""


@dataclass
class LocalContext:
    """The parts of the Lambda context object that handlers and Powertools read."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = ""
    _started: float = field(default_factory=monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (monotonic() - self._started)) * 1000))


def code_paths(template: Template) -> list[str]:
    """Every function's CodeUri and every layer's ContentUri, as import roots."""
    paths = [template.properties(lid)["ContentUri"] for lid in template.of_type("AWS::Serverless::LayerVersion")]
    paths += [template.properties(lid)["CodeUri"] for lid in template.of_type("AWS::Serverless::Function")]
    return [str(ROOT / p) for p in dict.fromkeys(paths)]


def function_environment(template: Template) -> dict[str, str]:
    """The union of all functions' variables; a name with two meanings is refused."""
    merged: dict[str, str] = {}
    for lid in template.of_type("AWS::Serverless::Function"):
        for name, value in template.properties(lid).get("Environment", {}).get("Variables", {}).items():
            if merged.setdefault(name, str(value)) != str(value):
                raise EnvironmentClash(f"{name} has two values ({merged[name]!r}, {value!r}); see {lid}")
    return merged


def add_code_paths(template: Template) -> None:
    """Make every function's and layer's package importable in this process."""
    for path in reversed(code_paths(template)):
        if path not in sys.path:
            sys.path.insert(0, path)


def short_name(function_name: str) -> str:
    """`quorum-local-report-worker` -> `report-worker`: the name `QUORUM_FAULTS` uses."""
    return function_name.split("-", 2)[-1]


def function_actions(template: Template) -> dict[str, frozenset[str]]:
    """Every function by its short name, with its worker's actions (none for a function without a worker)."""
    found = {}
    for lid in template.of_type("AWS::Serverless::Function"):
        props = template.properties(lid)
        worker = getattr(importlib.import_module(props["Handler"].rpartition(".")[0]), "worker", None)
        found[short_name(props["FunctionName"])] = frozenset(getattr(worker, "actions", ()))
    return found


def prepare(template: Template) -> None:
    """Put the code on sys.path and the functions' variables in os.environ."""
    add_code_paths(template)
    os.environ.update(function_environment(template))


def fault_plan(template: Template) -> FaultPlan:
    """The plan of `QUORUM_FAULTS` (`FaultSpecError` when it cannot be read); call after `prepare`."""
    return plan_from(os.environ, function_actions(template)) if os.environ.get("QUORUM_FAULTS") else FaultPlan()


def install(template: Template) -> FaultPlan:
    """Prepare, patch moto, and return the fault plan the invocations now follow."""
    global _faults
    prepare(template)
    _faults = fault_plan(template)
    LambdaFunction._invoke_lambda = _invoke_in_process  # type: ignore[method-assign]
    LambdaFunction.invoke = _invoke_typed  # type: ignore[method-assign]
    return _faults


def uninstall() -> None:
    global _faults
    LambdaFunction._invoke_lambda = _original_invoke  # type: ignore[method-assign]
    LambdaFunction.invoke = _original_function_invoke  # type: ignore[method-assign]
    _faults = FaultPlan()
    versions.stop_all()


def load_handler(dotted: str) -> Any:
    module_name, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def _handler_of(function: LambdaFunction) -> str:
    """The function's `Handler` ("module.attr"); moto leaves it None for a function created without one."""
    if not function.handler:
        raise ValueError(f"{function.function_name} has no Handler")
    return str(function.handler)


def _invoke_typed(self: LambdaFunction, body: str, request_headers: Any, response_headers: Any) -> str | bytes:
    """moto's invoke, remembering for `_invoke_in_process` whether the call is asynchronous."""
    _calls.asynchronous = request_headers.get("x-amz-invocation-type") == "Event"
    try:
        return _original_function_invoke(self, body, request_headers, response_headers)
    finally:
        _calls.asynchronous = False


def _invoke_in_process(self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
    attempts = ASYNC_ATTEMPTS if getattr(_calls, "asynchronous", False) else 1
    for _ in range(attempts):
        result = _run_handler(self, event)
        if not result[1]:
            break
    return result


def _run_handler(self: LambdaFunction, event: Any) -> tuple[str, bool, str]:
    payload = json.loads(event) if isinstance(event, (str, bytes)) and event else (event or {})
    key = event if isinstance(event, str) else json.dumps(payload, sort_keys=True, default=str)  # before the handler runs
    context = LocalContext(
        function_name=self.function_name, function_version=str(self.version),
        invoked_function_arn=self.function_arn, memory_limit_in_mb=int(self.memory_size or 128),
        timeout_seconds=int(self.timeout or 3),
    )
    roots = versions.snapshot_roots(getattr(self, "code_bytes", b""))
    if roots:
        fields = {k: getattr(context, k) for k in ("function_name", "function_version", "invoked_function_arn",
                                                   "memory_limit_in_mb", "timeout_seconds")}
        return versions.host_for(roots).invoke(_handler_of(self), payload, fields)
    try:
        result = load_handler(_handler_of(self))(payload, context)
        if _faults.strikes(short_name(self.function_name), payload, key):
            raise injected_fault(short_name(self.function_name), payload)  # the work is done; the caller retries
        return json.dumps(result, default=str), False, ""
    except Exception as exc:  # noqa: BLE001 - any handler error is the invoke's result, as in Lambda
        error = {"errorMessage": str(exc), "errorType": type(exc).__name__,
                 "stackTrace": traceback.format_tb(exc.__traceback__)}
        return json.dumps(error), True, traceback.format_exc()
