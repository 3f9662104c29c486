"""The voting state machine's `live` alias, moved by the same release rules as a function's.

Step Functions chooses a version per *execution*, so a canary of the machine is a share of new
cases, and each case keeps its version (and the worker versions that version names) to its
end. `MachineTraffic` offers the interface of `quorum_ops.traffic.Traffic`, so `Release` moves
`voting` like a function; the alias's routing configuration plays the part of the weights.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from botocore.exceptions import ClientError

from quorum_common import machine_versions
from quorum_common.aws import error_code
from quorum_ops.plan import ALIAS, MACHINE, AliasState, Refused, deployed, format_percent


def is_machine(name: str) -> bool:
    return name.rsplit("-", 1)[-1] == MACHINE


class MachineTraffic:
    """Where new cases go: the machine's `live` alias (live version + optional canary version)."""

    def __init__(self, stepfunctions_client: Any):
        self.sfn = stepfunctions_client
        self._arns: dict[str, str] = {}  # found once per command: every step of a move needs it

    def machine_arn(self, name: str) -> str:
        if name not in self._arns:
            found = next((m["stateMachineArn"] for page in self.sfn.get_paginator("list_state_machines").paginate()
                          for m in page["stateMachines"] if m["name"] == name), None)
            if found is None:
                raise Refused(f"state machine {name} does not exist here: is the environment deployed?")
            self._arns[name] = str(found)
        return self._arns[name]

    def state(self, name: str) -> AliasState | None:
        try:
            alias = self.sfn.describe_state_machine_alias(stateMachineAliasArn=f"{self.machine_arn(name)}:{ALIAS}")
        except ClientError as exc:
            if error_code(exc) in machine_versions.MISSING:
                return None
            raise
        routes = machine_versions.alias_routes(alias)
        canary = (routes[1][0], routes[1][1]) if len(routes) > 1 else None
        return AliasState(routes[0][0], canary)

    def require_state(self, name: str) -> AliasState:
        return deployed(self.state(name), name)

    def require_version(self, name: str, version: str) -> None:
        try:
            self.sfn.describe_state_machine(stateMachineArn=f"{self.machine_arn(name)}:{version}")
        except ClientError as exc:
            if error_code(exc) in machine_versions.MISSING:
                raise Refused(f"version {version} of {name} is not published") from None
            raise

    def require_rpc_home(self, name: str) -> None:
        raise Refused(f"--sticky is for RPC workers; {name} already keeps each case on one version")

    def apply(self, name: str, before: AliasState, after: AliasState) -> None:
        """Point `live` at `after`, unless someone moved it since `before` was read."""
        if self.require_state(name) != before:
            raise Refused(f"{name}'s {ALIAS!r} alias changed while this command ran; look at status and try again")
        arn = self.machine_arn(name)
        routing = [{"stateMachineVersionArn": f"{arn}:{after.version}", "weight": 100}]
        if after.canary:
            share = _whole_percent(after.canary[1])
            routing = [{"stateMachineVersionArn": f"{arn}:{after.version}", "weight": 100 - share},
                       {"stateMachineVersionArn": f"{arn}:{after.canary[0]}", "weight": share}]
        self.sfn.update_state_machine_alias(stateMachineAliasArn=f"{arn}:{ALIAS}", routingConfiguration=routing)

    def running_cases(self, name: str) -> Counter[str]:
        """How many running executions (cases) each version holds; '-' for executions of no version."""
        return machine_versions.running_cases(self.sfn, self.machine_arn(name))


def _whole_percent(percent: float) -> int:
    if percent != int(percent):
        raise Refused(f"a state-machine alias routes whole percents; {format_percent(percent)} is not one")
    return int(percent)
