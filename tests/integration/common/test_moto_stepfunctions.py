"""The local cloud's Step Functions patches: versions and aliases behave as in AWS (one test per gap)."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from quorum_local import moto_stepfunctions
from quorum_local.moto_stepfunctions import pick_version

ROLE = "arn:aws:iam::123456789012:role/sfn"


def _definition(label: str) -> str:
    return json.dumps({"StartAt": "S", "States": {"S": {"Type": "Pass", "Result": {"ran": label}, "End": True}}})


@pytest.fixture
def sfn(aws: None) -> Any:
    return boto3.client("stepfunctions")


@pytest.fixture
def machine(sfn: Any) -> dict[str, str]:
    """A machine with versions 1 and 2 (different definitions) and an alias `live` split 50/50."""
    created = sfn.create_state_machine(name="m", definition=_definition("v1"), roleArn=ROLE, publish=True)
    v2 = sfn.update_state_machine(stateMachineArn=created["stateMachineArn"], definition=_definition("v2"),
                                  publish=True)["stateMachineVersionArn"]
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": created["stateMachineVersionArn"], "weight": 50},
        {"stateMachineVersionArn": v2, "weight": 50}])["stateMachineAliasArn"]
    return {"arn": created["stateMachineArn"], "v1": created["stateMachineVersionArn"], "v2": v2, "alias": alias}


def _finished(sfn: Any, execution_arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.05)
    raise TimeoutError(execution_arn)


def test_pick_version_follows_the_weights() -> None:
    routing = [{"stateMachineVersionArn": "m:1", "weight": 90}, {"stateMachineVersionArn": "m:2", "weight": 10}]
    assert [pick_version(routing, d) for d in (0.0, 0.89, 0.9, 0.999)] == ["m:1", "m:1", "m:2", "m:2"]


def test_a_version_keeps_its_definition_when_the_machine_changes(sfn: Any, machine: dict[str, str]) -> None:
    assert json.loads(sfn.describe_state_machine(stateMachineArn=machine["v1"])["definition"]) == \
        json.loads(_definition("v1"))


def test_an_execution_of_a_version_is_the_machines(sfn: Any, machine: dict[str, str]) -> None:
    started = sfn.start_execution(stateMachineArn=machine["v1"], name="case-1", input="{}")
    described = _finished(sfn, started["executionArn"])
    assert described["status"] == "SUCCEEDED"
    listed = sfn.list_executions(stateMachineArn=machine["arn"])["executions"]
    assert [e["name"] for e in listed] == ["case-1"]


@pytest.mark.parametrize(("draw", "version", "ran"), [(0.2, "v1", "v1"), (0.7, "v2", "v2")])
def test_the_alias_starts_the_version_its_weights_draw(sfn: Any, machine: dict[str, str], draw: float,
                                                       version: str, ran: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moto_stepfunctions, "_draw", lambda: draw)
    started = sfn.start_execution(stateMachineArn=machine["alias"], name="case-1", input="{}")
    described = _finished(sfn, started["executionArn"])
    assert json.loads(described["output"]) == {"ran": ran}
    assert described["stateMachineVersionArn"] == machine[version]
    assert described["stateMachineAliasArn"] == machine["alias"]
    assert described["stateMachineArn"] == machine["arn"]


def test_an_unqualified_execution_names_no_version(sfn: Any, machine: dict[str, str]) -> None:
    started = sfn.start_execution(stateMachineArn=machine["arn"], name="case-1", input="{}")
    assert "stateMachineVersionArn" not in _finished(sfn, started["executionArn"])


def test_an_unknown_alias_is_refused(sfn: Any, machine: dict[str, str]) -> None:
    with pytest.raises(ClientError):
        sfn.start_execution(stateMachineArn=f"{machine['arn']}:nope", name="case-1", input="{}")


def test_listed_executions_name_their_version_and_alias(sfn: Any, machine: dict[str, str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Gap 4: ListExecutions says which version each case runs, so a reader needs no DescribeExecution per case.
    monkeypatch.setattr(moto_stepfunctions, "_draw", lambda: 0.7)
    through_alias = sfn.start_execution(stateMachineArn=machine["alias"], name="case-1", input="{}")
    unqualified = sfn.start_execution(stateMachineArn=machine["arn"], name="case-2", input="{}")
    for started in (through_alias, unqualified):
        _finished(sfn, started["executionArn"])
    listed = {e["name"]: e for e in sfn.list_executions(stateMachineArn=machine["arn"])["executions"]}
    assert (listed["case-1"]["stateMachineVersionArn"], listed["case-1"]["stateMachineAliasArn"]) == \
        (machine["v2"], machine["alias"])
    assert "stateMachineVersionArn" not in listed["case-2"]
