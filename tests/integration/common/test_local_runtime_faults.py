"""The in-process runtime with fault injection: the fault comes after the handler ran, and an
asynchronous invoke is tried three times in all, as Lambda does; a function without a Handler says so."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from quorum_local import runtime
from quorum_local.faults import FaultPlan

WORKER = "quorum-local-reviewer-worker:live"
STATS = json.dumps({"action": "reviewer_stats", "reviewer_ids": ["nobody"]}).encode()


@pytest.fixture
def always_failing(stack: Any, monkeypatch: pytest.MonkeyPatch) -> FaultPlan:
    plan = FaultPlan({("reviewer-worker", "reviewer_stats"): 1.0})
    monkeypatch.setattr(runtime, "_faults", plan)
    return plan


def test_a_struck_invocation_ran_and_then_fails_with_a_transient_error(always_failing: FaultPlan) -> None:
    reply = boto3.client("lambda").invoke(FunctionName=WORKER, Payload=STATS)
    error = json.loads(reply["Payload"].read())
    assert reply["FunctionError"] and error["errorType"] == "TransientError"
    assert "injected fault after reviewer-worker:reviewer_stats ran" in error["errorMessage"]
    assert always_failing.injected == 1
    # another action of the same worker is not struck
    ok = boto3.client("lambda").invoke(FunctionName=WORKER, Payload=json.dumps({"action": "auto_adjust"}).encode())
    assert "FunctionError" not in ok


def test_a_failing_asynchronous_invoke_is_tried_three_times(always_failing: FaultPlan) -> None:
    boto3.client("lambda").invoke(FunctionName=WORKER, Payload=STATS, InvocationType="Event")
    assert always_failing.injected == 3  # the call and Lambda's two retries
    # the fourth try of the same invocation key passes: a run of faults never lasts
    reply = boto3.client("lambda").invoke(FunctionName=WORKER, Payload=STATS)
    assert "FunctionError" not in reply and always_failing.injected == 3


def test_a_function_without_a_handler_fails_naming_itself(stack: Any) -> None:
    # An image function has no Handler: the invoke's error says which function lacks it.
    lam = boto3.client("lambda")
    role = lam.get_function(FunctionName=WORKER)["Configuration"]["Role"]
    lam.create_function(FunctionName="no-handler", Role=role, PackageType="Image",
                        Code={"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/none:latest"})
    reply = lam.invoke(FunctionName="no-handler", Payload=b"{}")
    error = json.loads(reply["Payload"].read())
    assert reply["FunctionError"] and error["errorType"] == "ValueError"
    assert error["errorMessage"] == "no-handler has no Handler"
