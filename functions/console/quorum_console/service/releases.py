"""Read where the environment's traffic goes: each function's live alias, and the latest release records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quorum_console.domain.release import ALIAS, LiveAlias, ReleaseRecord, function_names, live_alias
from quorum_console.service.ports import Aliases, ReleaseLog


@dataclass(frozen=True)
class Releases:
    env: str
    functions: list[LiveAlias]
    records: list[ReleaseRecord]


def read_releases(env: str, short_names: Sequence[str], limit: int, *, aliases: Aliases, log: ReleaseLog) -> Releases:
    """Every function of `env` with its live alias, and the newest `limit` records of its release log."""
    functions = [live_alias(name, aliases.get(name, ALIAS)) for name in function_names(env, short_names)]
    return Releases(env=env, functions=functions, records=log.latest(limit))
