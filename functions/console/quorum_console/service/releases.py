"""Read where the environment's traffic goes: each function's and the voting machine's live alias, and the
latest release records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quorum_console.domain.release import (
    ALIAS,
    LiveAlias,
    MachineAlias,
    ReleaseRecord,
    function_names,
    live_alias,
    machine_alias,
    machine_arn,
)
from quorum_console.service.ports import Aliases, ReleaseLog, StateMachines


@dataclass(frozen=True)
class Releases:
    env: str
    functions: list[LiveAlias]
    machines: list[MachineAlias]
    records: list[ReleaseRecord]


def read_releases(env: str, short_names: Sequence[str], voting_alias_arn: str, limit: int, *, aliases: Aliases,
                  machines: StateMachines, log: ReleaseLog) -> Releases:
    """Every function of `env` with its live alias, the voting machine's alias with the running cases of each
    version, and the newest `limit` records of its release log."""
    functions = [live_alias(name, aliases.get(name, ALIAS)) for name in function_names(env, short_names)]
    voting = machine_alias(voting_alias_arn, machines.routes(voting_alias_arn),
                           machines.running_cases(machine_arn(voting_alias_arn)))
    return Releases(env=env, functions=functions, machines=[voting], records=log.latest(limit))
