"""Run Lambda handlers in-process behind moto's Lambda invoke path.

moto runs Lambda code only in Docker; every invoke path (direct Invoke, Step Functions tasks,
SNS subscriptions) ends in `LambdaFunction._invoke_lambda(event)`. Replacing that one method
makes all of them run the project's real handlers in this process, with no Docker. A version
published by `quorum-local publish` runs its own snapshot of the code in a child process
(`quorum_local.versions`), so two versions of a function answer side by side.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
import uuid
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from moto.awslambda.models import LambdaFunction

from quorum_local import versions
from quorum_local.template import ROOT, Template

_original_invoke = LambdaFunction._invoke_lambda


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


def install(template: Template) -> None:
    """Put the code on sys.path, the functions' variables in os.environ, and patch moto."""
    add_code_paths(template)
    os.environ.update(function_environment(template))
    LambdaFunction._invoke_lambda = _invoke_in_process


def uninstall() -> None:
    LambdaFunction._invoke_lambda = _original_invoke
    versions.stop_all()


def load_handler(dotted: str) -> Any:
    module_name, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def _invoke_in_process(self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
    payload = json.loads(event) if isinstance(event, (str, bytes)) and event else (event or {})
    context = LocalContext(
        function_name=self.function_name, function_version=str(self.version),
        invoked_function_arn=self.function_arn, memory_limit_in_mb=int(self.memory_size or 128),
        timeout_seconds=int(self.timeout or 3),
    )
    roots = versions.snapshot_roots(getattr(self, "code_bytes", b""))
    if roots:
        fields = {k: getattr(context, k) for k in ("function_name", "function_version", "invoked_function_arn",
                                                   "memory_limit_in_mb", "timeout_seconds")}
        return versions.host_for(roots).invoke(self.handler, payload, fields)
    try:
        result = load_handler(self.handler)(payload, context)
        return json.dumps(result, default=str), False, ""
    except Exception as exc:  # noqa: BLE001 - any handler error is the invoke's result, as in Lambda
        error = {"errorMessage": str(exc), "errorType": type(exc).__name__,
                 "stackTrace": traceback.format_tb(exc.__traceback__)}
        return json.dumps(error), True, traceback.format_exc()
