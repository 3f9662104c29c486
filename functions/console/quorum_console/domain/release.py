"""What ops read about releases: where each function's `live` alias sends traffic, and the release log.

The release command (`infra/quorum_ops`) moves aliases and writes the log; the console only reads
them. A canary is the alias's weighted routing: `AdditionalVersionWeights` gives one more version
a share of the requests, as a fraction from 0 to 1.
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
