"""Cases start through the voting machine's alias; their executions are still found by name."""

from __future__ import annotations

from quorum_report.adapters.workflow import StepFunctionsWorkflow

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:quorum-dev-voting"


def test_an_execution_started_through_the_alias_is_named_under_the_machine() -> None:
    assert StepFunctionsWorkflow(f"{MACHINE}:live").execution_arn("c-1") == \
        "arn:aws:states:us-east-1:123456789012:execution:quorum-dev-voting:c-1"


def test_an_unqualified_machine_names_the_same_execution() -> None:
    assert StepFunctionsWorkflow(MACHINE).execution_arn("c-1").endswith(":execution:quorum-dev-voting:c-1")
