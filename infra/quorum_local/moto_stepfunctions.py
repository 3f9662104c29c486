"""Step Functions versions and aliases in moto as AWS runs them: one small patch per gap.

moto 5 publishes versions (with their definitions) and stores aliases, but:

1. StartExecution on a version ARN fails (the version lacks the machine's name check), and the
   execution would be filed under the version, where the machine's DescribeExecution,
   ListExecutions and SendTaskSuccess never find it (a callback would hang);
2. StartExecution on an alias ARN fails ("State Machine Does Not Exist"): AWS picks one of the
   alias's versions by weight, once per execution;
3. DescribeExecution names neither the version nor the alias an execution runs;
4. nor do ListExecutions' items (AWS names both, so a reader counts cases per version in one call).

`apply()` is called by `quorum_local.moto_patches.apply`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, cast

from moto.core.responses import ActionResult
from moto.stepfunctions.models import StateMachine, StateMachineVersion, StepFunctionBackend
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

_original_publish = StateMachine.publish
_original_start = StepFunctionsParserBackend.start_execution
_original_describe = StepFunctionResponse.describe_execution
_original_list = StepFunctionResponse.list_executions
_draw: Callable[[], float] = random.random  # replaced by tests that need a known draw


def _publish_sharing_executions(self: StateMachine, description: str | None) -> None:
    # Gap 1: a version's executions are the machine's executions, as in AWS (and it can start them).
    _original_publish(self, description)
    if self.latest_version is not None:
        self.latest_version.executions = self.executions
        self.latest_version.backend = self.backend  # type: ignore[attr-defined]


def pick_version(routing: list[dict[str, Any]], draw: float) -> str:
    """The version ARN an alias's routing sends an execution to, for a draw in [0, 1)."""
    bound = 0.0
    for entry in routing:
        bound += float(entry["weight"]) / 100
        if draw < bound:
            return str(entry["stateMachineVersionArn"])
    return str(routing[-1]["stateMachineVersionArn"])


def _alias_of(backend: StepFunctionBackend, arn: str) -> Any:
    parent_arn, _, name = arn.rpartition(":")
    if arn.count(":") != 7 or name.isdigit():
        return None
    machine = next((m for m in backend.state_machines if m.arn == parent_arn), None)
    return machine.aliases.get(name) if machine is not None else None


def _start_through_alias(self: StepFunctionsParserBackend, state_machine_arn: str, name: Any = None,
                         execution_input: Any = None, trace_header: Any = None) -> Any:
    # Gap 2: an alias ARN starts the version its routing draws for this execution.
    alias = _alias_of(self, state_machine_arn)
    target = pick_version(alias.routing_configuration, _draw()) if alias is not None else state_machine_arn
    execution = _original_start(self, target, name, execution_input, trace_header)
    if alias is not None and not hasattr(execution, "alias_arn"):
        execution.alias_arn = alias.arn  # type: ignore[attr-defined]
    return execution


def _version_fields(execution: Any) -> dict[str, str]:
    """The machine's own ARN and the version (and alias) an execution runs; {} for the unversioned machine."""
    machine: Any = getattr(execution, "state_machine", None)
    source = getattr(machine, "source_arn", None)
    if not source:
        return {}
    extra = {"stateMachineArn": source, "stateMachineVersionArn": machine.arn}
    if getattr(execution, "alias_arn", None):
        extra["stateMachineAliasArn"] = execution.alias_arn
    return extra


def _describe_with_version(self: StepFunctionResponse) -> ActionResult:
    # Gap 3: which version (and alias) the execution runs, and the machine's own ARN.
    result = _original_describe(self)
    execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
    cast(dict[str, Any], result.result).update(_version_fields(execution))  # ActionResult wraps the response dict
    return result


def _list_with_versions(self: StepFunctionResponse) -> ActionResult:
    # Gap 4: each listed execution names its version (and alias), as DescribeExecution does.
    result = _original_list(self)
    for item in cast(dict[str, Any], result.result)["executions"]:
        item.update(_version_fields(self.stepfunction_backend.describe_execution(item["executionArn"])))
    return result


def apply() -> None:
    StateMachine.publish = _publish_sharing_executions  # type: ignore[method-assign]
    StateMachineVersion._handle_name_input_idempotency = (  # type: ignore[attr-defined]
        StateMachine._handle_name_input_idempotency)
    StepFunctionsParserBackend.start_execution = _start_through_alias  # type: ignore[method-assign]
    StepFunctionResponse.describe_execution = _describe_with_version  # type: ignore[method-assign]
    StepFunctionResponse.list_executions = _list_with_versions  # type: ignore[method-assign]


def revert() -> None:
    StateMachine.publish = _original_publish  # type: ignore[method-assign]
    if "_handle_name_input_idempotency" in vars(StateMachineVersion):
        del StateMachineVersion._handle_name_input_idempotency  # type: ignore[attr-defined]
    StepFunctionsParserBackend.start_execution = _original_start  # type: ignore[method-assign]
    StepFunctionResponse.describe_execution = _original_describe  # type: ignore[method-assign]
    StepFunctionResponse.list_executions = _original_list  # type: ignore[method-assign]
