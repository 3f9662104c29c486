"""With tracing on, a function's invoke is traced: its handler subsegment and one per AWS call.

The functions patch botocore for X-Ray lazily (quorum_common.observability), so the handler runs in a
fresh process, as a Lambda cold start does, against moto's server with the stack's tables.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from quorum_local import runtime
from quorum_local.gateway import event_for
from quorum_local.provision import Provisioner
from quorum_local.server import HOST, free_port
from quorum_local.template import Template

HELPER = Path(__file__).with_name("traced_invoke.py")
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}


@pytest.fixture
def traced_stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """moto's server with the stack's tables, and the environment of a traced function pointed at it."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    server = ThreadedMotoServer(ip_address=HOST, port=free_port(), verbose=False)
    server.start()
    url = f"http://{HOST}:{server._port}"
    try:
        template = Template.load("local", overrides={"TracingMode": "Active"})
        Provisioner(template, endpoint_url=url).create_tables()
        yield {**os.environ, **runtime.function_environment(template), **CREDENTIALS, "AWS_ENDPOINT_URL": url,
               "PYTHONPATH": os.pathsep + os.pathsep.join(runtime.code_paths(template)),
               "LAMBDA_TASK_ROOT": str(HELPER.parent), "AWS_LAMBDA_FUNCTION_NAME": "traced",
               "_X_AMZN_TRACE_ID": TRACE_HEADER}
    finally:
        server.stop()


def invoke_traced(handler: str, event: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(HELPER), handler, json.dumps(event)], env=env,
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_traced_invoke_records_the_handler_and_its_dynamodb_calls(traced_stack: dict[str, str]) -> None:
    # Given the report API with TracingMode=Active, in a fresh process as at a cold start
    event = event_for("GET", "/v1/policies", claims={"sub": "ops-1", "groups": "[ops]"})

    # When ops list the policies (a read of the report table)
    result = invoke_traced("quorum_report.handlers.api.handler", event, traced_stack)

    # Then the answer is 200 and X-Ray got the handler's subsegment and a DynamoDB one under the same trace
    assert result["status"] == 200
    entities = result["entities"]
    assert {e["trace_id"] for e in entities} == {"1-5759e988-bd862e3fe1be46a994272793"}
    names = [e["name"] for e in entities]
    assert "## handler" in names
    dynamodb = [e for e in entities if e["name"] == "dynamodb"]
    assert dynamodb and all(e["namespace"] == "aws" for e in dynamodb)
    assert {e["aws"]["table_name"] for e in dynamodb} == {traced_stack["QUORUM_REPORT_TABLE"]}
