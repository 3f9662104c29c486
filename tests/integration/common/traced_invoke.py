"""Invoke one handler in a fresh process as Lambda does with active tracing, and print what X-Ray got.

    python traced_invoke.py MODULE.ATTR EVENT_JSON

The process is told it runs in Lambda (LAMBDA_TASK_ROOT, a sampled _X_AMZN_TRACE_ID) by the caller's
environment; the X-Ray SDK's emitter is replaced by one that keeps every entity it would have sent to
the daemon. Prints one JSON object: the entities, and whether importing the handler imported botocore.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any


class CapturingEmitter:
    """Stands in for the SDK's UDP emitter: keeps each entity as the daemon would receive it."""

    def __init__(self) -> None:
        self.entities: list[dict[str, Any]] = []

    def send_entity(self, entity: Any) -> None:
        self.entities.append(json.loads(entity.serialize()))

    def set_daemon_address(self, address: str | None) -> None:
        """No daemon here."""


class Context:
    function_name = "traced"
    function_version = "1"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:traced"
    aws_request_id = "traced-invoke"

    def get_remaining_time_in_millis(self) -> int:
        return 10000


def main(target: str, event: str) -> None:
    module_name, attr = target.rsplit(".", 1)
    handler = getattr(importlib.import_module(module_name), attr)
    botocore_at_import = "botocore.client" in sys.modules
    from aws_xray_sdk.core import xray_recorder

    emitter = CapturingEmitter()
    xray_recorder.configure(emitter=emitter)
    response = handler(json.loads(event), Context())
    print(json.dumps({"entities": emitter.entities, "botocore_at_import": botocore_at_import,
                      "status": response.get("statusCode")}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
