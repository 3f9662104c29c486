"""What ops read about releases: where each `live` alias sends traffic, and the release log.

The release command (`infra/quorum_ops`) moves aliases and writes the log; the console only reads
them. A canary is the alias's weighted routing: `AdditionalVersionWeights` gives one more version
a share of the requests, as a fraction from 0 to 1. The voting state machine's alias weighs new
*cases* (each keeps its version to its end), so its versions also show the running cases they hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

ALIAS = "live"


class LiveAlias(BaseModel):
    """One function's `live` alias: its version, and the canary version with its weight (if any)."""

    model_config = ConfigDict(frozen=True)

    function: str
    deployed: bool
    version: str | None = None
    canary_version: str | None = None
    canary_weight: float | None = None


class MachineVersion(BaseModel):
    """One version of the voting machine: its share of new cases (none once off the alias), its running cases."""

    model_config = ConfigDict(frozen=True)

    version: str  # "-": executions started on the machine itself, not on a version
    weight: float | None = None  # a fraction from 0 to 1, as a function's canary_weight
    running_cases: int = 0


class MachineAlias(BaseModel):
    """The voting state machine's `live` alias: its versions, those it routes first (live, then canary)."""

    model_config = ConfigDict(frozen=True)

    machine: str
    deployed: bool
    versions: list[MachineVersion] = []


class ReleaseRecord(BaseModel):
    """One audit record of the release log: who moved which function's alias, from what to what, when."""

    model_config = ConfigDict(frozen=True)

    seq: int
    at: str
    who: str
    function: str
    action: str
    before: str
    after: str
    from_version: str
    to_version: str
    note: str | None = None  # why, when quorum-release decided by itself (--auto) or was told to (--allow-no-data)


def function_names(env: str, short_names: Sequence[str]) -> list[str]:
    """The environment's own function names (`quorum-<env>-<short>`): the console reads no other's."""
    return [f"quorum-{env}-{short}" for short in short_names]


def live_alias(function: str, alias: Mapping[str, Any] | None) -> LiveAlias:
    """Read a Lambda `GetAlias` answer (None: the function or its alias does not exist)."""
    if alias is None:
        return LiveAlias(function=function, deployed=False)
    weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    canary = next(iter(sorted(weights.items())), None)
    return LiveAlias(function=function, deployed=True, version=str(alias["FunctionVersion"]),
                     canary_version=canary[0] if canary else None,
                     canary_weight=float(canary[1]) if canary else None)


def machine_arn(alias_arn: str) -> str:
    """The state machine of an alias ARN (`arn:...:stateMachine:<name>:live`)."""
    return alias_arn.rpartition(":")[0]


def machine_alias(alias_arn: str, routes: Sequence[tuple[str, float]] | None, running: Mapping[str, int]) -> MachineAlias:
    """Read the alias's routes (version, percent; None: no alias) and the running cases per version.

    Versions the alias no longer routes follow while they hold cases, oldest first: they keep
    their worker versions in use until they hold none.
    """
    name = machine_arn(alias_arn).rsplit(":", 1)[-1]
    if routes is None:
        return MachineAlias(machine=name, deployed=False)
    routed = [MachineVersion(version=v, weight=percent / 100, running_cases=running.get(v, 0)) for v, percent in routes]
    held = sorted((v for v in running if v not in dict(routes)), key=lambda v: (not v.isdigit(), v.zfill(12)))
    return MachineAlias(machine=name, deployed=True,
                        versions=routed + [MachineVersion(version=v, running_cases=running[v]) for v in held])
