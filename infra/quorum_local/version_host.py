"""A child process that runs one published version's handler from that version's own code.

Started by `quorum_local.versions` as `python version_host.py ROOT...` (a script, so nothing of
the working tree is importable first): the snapshot's roots go first on sys.path. It reads one
JSON request a line on stdin (handler, event, context) and answers one JSON line on the
original stdout; the handler's own prints and logs go to stderr. Standard library only.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
import uuid
from time import monotonic
from typing import Any


class Context:
    """The parts of the Lambda context object that handlers and Powertools read."""

    def __init__(self, fields: dict[str, Any]):
        self.function_name = fields["function_name"]
        self.function_version = fields["function_version"]
        self.invoked_function_arn = fields["invoked_function_arn"]
        self.memory_limit_in_mb = fields["memory_limit_in_mb"]
        self.timeout_seconds = fields["timeout_seconds"]
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = self.log_stream_name = ""
        self._started = monotonic()

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (monotonic() - self._started)) * 1000))


def answer(request: dict[str, Any]) -> dict[str, Any]:
    module_name, _, attr = request["handler"].rpartition(".")
    try:
        handler = getattr(importlib.import_module(module_name), attr)
        return {"payload": json.dumps(handler(request["event"], Context(request["context"])), default=str),
                "error": False}
    except Exception as exc:  # noqa: BLE001 - any handler error is the invoke's result, as in Lambda
        error = {"errorMessage": str(exc), "errorType": type(exc).__name__,
                 "stackTrace": traceback.format_tb(exc.__traceback__)}
        return {"payload": json.dumps(error), "error": True, "log": traceback.format_exc()}


def main() -> None:
    sys.path[:0] = sys.argv[1:]
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # the handler's stdout (EMF, logs) must not mix with the answers
    sys.stdout = sys.stderr
    for line in sys.stdin:
        protocol.write(json.dumps(answer(json.loads(line))) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
