"""The voting state machine's versions as ops read them: where its `live` alias sends new cases,
and how many running cases each version holds.

`quorum-release status` (`infra/quorum_ops/machines.py`) and the console's `GET /v1/releases`
read both through these functions, so the two views count the same way. Each takes the answer
or the client; neither maps errors (each caller says what a missing machine means to it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

UNVERSIONED = "-"  # executions started on the machine itself, not on a version or an alias
# The error codes of a machine, version or alias that does not exist (each caller says what that means).
MISSING = ("StateMachineDoesNotExist", "ResourceNotFound", "ResourceNotFoundException")


def version_of(arn: str | None) -> str:
    """The version number at the end of a state-machine version ARN (`-` for none)."""
    return arn.rsplit(":", 1)[1] if arn else UNVERSIONED


def alias_routes(alias: Mapping[str, Any]) -> list[tuple[str, float]]:
    """(version, percent of new cases) of a `DescribeStateMachineAlias` answer, live version first."""
    return [(version_of(r["stateMachineVersionArn"]), float(r["weight"])) for r in alias["routingConfiguration"]]


def running_cases(stepfunctions: Any, machine_arn: str) -> Counter[str]:
    """Running executions per version, from `ListExecutions` alone: AWS names each item's version."""
    pages = stepfunctions.get_paginator("list_executions").paginate(stateMachineArn=machine_arn,
                                                                    statusFilter="RUNNING")
    return Counter(version_of(item.get("stateMachineVersionArn")) for page in pages for item in page["executions"])
