"""The console function on the provisioned stack (moto): its files, and GET /v1/releases as ops read it."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from quorum_local.gateway import event_for
from quorum_local.runtime import LocalContext
from quorum_ops.plan import FUNCTIONS
from quorum_ops.release import main as release

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")
OPS = {"sub": "ops-1", "groups": ["ops"]}
WORKER = "quorum-local-reviewer-worker"


def call(path: str, claims: dict[str, Any] | None = None, query: dict[str, str] | None = None) -> dict[str, Any]:
    from quorum_console.handlers import api

    context = LocalContext(function_name="quorum-local-console", function_version="1", memory_limit_in_mb=256,
                           invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:quorum-local-console",
                           timeout_seconds=10)
    return api.handler(event_for("GET", path, claims=claims, query=query), context)


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


@pytest.fixture(autouse=True)
def operator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_OPERATOR", "alice")


def test_ops_see_every_function_of_the_environment_on_its_live_alias(stack) -> None:
    response = call("/v1/releases", OPS)
    assert response["statusCode"] == 200
    releases = body(response)
    assert releases["env"] == "local" and releases["records"] == []
    assert [f["function"] for f in releases["functions"]] == [f"quorum-local-{short}" for short in FUNCTIONS]
    assert {(f["deployed"], f["version"], f["canary_version"]) for f in releases["functions"]} == {(True, "1", None)}


def test_a_canary_shows_its_version_and_weight_and_the_log_its_records_newest_first(stack) -> None:
    lam = boto3.client("lambda")
    lam.update_function_configuration(FunctionName=WORKER, Description="v2")
    version = lam.publish_version(FunctionName=WORKER)["Version"]
    assert release(["--env", "local", "canary", "reviewer-worker", "--version", version, "--percent", "10"]) == 0
    assert release(["--env", "local", "canary", "reviewer-worker", "--version", version, "--percent", "50"]) == 0
    releases = body(call("/v1/releases", OPS, {"limit": "1"}))
    worker = next(f for f in releases["functions"] if f["function"] == WORKER)
    assert (worker["version"], worker["canary_version"], worker["canary_weight"]) == ("1", version, 0.5)
    [latest] = releases["records"]
    assert (latest["seq"], latest["who"], latest["action"], latest["function"]) == (2, "alice", "canary", WORKER)
    assert latest["after"] == f"1 + {version}@50%"
    assert [r["seq"] for r in body(call("/v1/releases", OPS))["records"]] == [2, 1]


def test_releases_are_for_ops_only(stack) -> None:
    for claims, status, code in ((None, 401, "missing_token"), ({"sub": "u-1", "groups": ["user"]}, 403, "wrong_role"),
                                 ({"sub": "m-1", "groups": ["module"]}, 403, "wrong_role")):
        response = call("/v1/releases", claims)
        assert (response["statusCode"], body(response)["error"]["code"]) == (status, code)


@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_the_record_limit_is_bounded(stack, limit: str) -> None:
    response = call("/v1/releases", OPS, {"limit": limit})
    assert (response["statusCode"], body(response)["error"]["code"]) == (422, "validation_error")


def test_the_console_s_files_come_typed_and_its_routes_get_the_page(stack) -> None:
    for path in ("/console", "/console/", "/console/queue", "/console/cases/case-1"):
        page = call(path)
        assert page["statusCode"] == 200 and page["headers"]["Content-Type"] == "text/html; charset=utf-8", path
        assert '<div id="app">' in page["body"] and "connect-src 'self'" in page["headers"]["Content-Security-Policy"]
    script = call("/console/js/main.js")
    assert (script["statusCode"], script["headers"]["Content-Type"]) == (200, "text/javascript; charset=utf-8")
    style = call("/console/console.css")
    assert style["headers"]["Content-Type"] == "text/css; charset=utf-8" and style["headers"]["Cache-Control"] == "no-cache"


def test_a_missing_file_is_a_404_in_the_api_s_error_format(stack) -> None:
    for path in ("/console/js/missing.js", "/console/../template.yaml", "/console/vendor/preact-11.2.0/LICENSE.txt"):
        response = call(path)
        assert response["statusCode"] == 404, path
        assert response["headers"]["Content-Type"] == "application/json"
        assert body(response)["error"]["code"] == "asset_not_found"


def test_ops_see_the_voting_machine_s_weights_and_the_running_cases_of_each_version(stack) -> None:
    # Given versions 2 and 3 of the voting machine (each waits, so its cases stay running), a 50 % canary of 2,
    # two cases on version 2 and one left on version 3, which the alias no longer routes
    sfn = boto3.client("stepfunctions")
    machine = next(m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]
                   if m["name"] == "quorum-local-voting")
    versions = [sfn.update_state_machine(stateMachineArn=machine, publish=True, definition=json.dumps(
        {"Comment": label, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": True}}}))[
        "stateMachineVersionArn"] for label in ("v2", "v3")]
    assert release(["--env", "local", "canary", "voting", "--version", "2", "--percent", "50"]) == 0
    started = [sfn.start_execution(stateMachineArn=arn, name=f"case-{n}", input="{}")["executionArn"]
               for n, arn in enumerate([versions[0], versions[0], versions[1]])]
    try:
        # When ops read the releases
        (voting,) = body(call("/v1/releases", OPS))["machines"]
    finally:
        for execution in started:
            sfn.stop_execution(executionArn=execution)
    # Then the alias's versions come first with their share of new cases, then the version still holding a case
    assert (voting["machine"], voting["deployed"]) == ("quorum-local-voting", True)
    assert [(v["version"], v["weight"], v["running_cases"]) for v in voting["versions"]] == [
        ("1", 0.5, 0), ("2", 0.5, 2), ("3", None, 1)]
