"""The release rules, pure: which moves of a function's `live` alias are allowed, and to what.

A release state is the live version plus at most one canary version with a share. The canary is
either weighted (Lambda's `AdditionalVersionWeights`: a share of requests, chosen per request)
or sticky (a `canary` instance in Cloud Map: a share of users, chosen by a hash of the user id,
honoured by the RPC client). Each `plan_*` function takes the current state (and, for going
back, the recorded past moves) and returns the state to set, or raises `Refused`; nothing here
talks to AWS, so every refusal is decided before anything is changed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ALIAS = "live"
FUNCTIONS = ("report-api", "report-worker", "reviewer-api", "reviewer-worker", "reward-api", "reward-worker",
             "scheduler", "console")
MACHINE = "voting"  # the voting state machine: its alias moves by the same rules
ENVIRONMENTS = ("local", "dev", "staging", "prod")
_VERSION = re.compile(r"[0-9]+")


class Refused(Exception):
    """A move the release command will not make; it is raised before anything is changed."""


def deployed(state: AliasState | None, name: str) -> AliasState:
    """`state`, or a refusal when `name` (a function or the voting machine) has no `live` alias here."""
    if state is None:
        raise Refused(f"{name} has no {ALIAS!r} alias here: is the environment deployed?")
    return state


@dataclass(frozen=True)
class AliasState:
    """Where traffic goes: live `version`, plus an optional canary `(version, percent)`, maybe sticky."""

    version: str
    canary: tuple[str, float] | None = None
    sticky: bool = False
    revision_id: str = field(default="", compare=False)

    @classmethod
    def from_alias(cls, alias: dict) -> AliasState:
        """Read a Lambda `GetAlias` / `UpdateAlias` response."""
        weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
        canary = next(((v, round(w * 100, 4)) for v, w in sorted(weights.items())), None)
        return cls(alias["FunctionVersion"], canary, revision_id=alias.get("RevisionId", ""))

    def weights(self) -> dict[str, float]:
        """The alias's `AdditionalVersionWeights` for this state (empty: no weighted canary)."""
        return {self.canary[0]: round(self.canary[1] / 100, 6)} if self.canary and not self.sticky else {}

    def describe(self) -> str:
        """`"3"`, `"3 + 4@10%"` (4 takes 10 % of requests) or `"3 + 4@10% sticky"` (10 % of users)."""
        if not self.canary:
            return self.version
        return f"{self.version} + {self.canary[0]}@{format_percent(self.canary[1])}%{' sticky' if self.sticky else ''}"


@dataclass(frozen=True)
class Move:
    """A recorded change of one function's alias (a row of the release log)."""

    function: str
    action: str
    from_version: str
    to_version: str


def format_percent(percent: float) -> str:
    return f"{percent:g}"


# ---------------------------------------------------------------------- operator input
def function_name(env: str, name: str) -> str:
    """The full name for `name` (short, like `reviewer-worker` or `voting`, or full) in `env`."""
    prefix = f"quorum-{env}-"
    short = name.removeprefix(prefix)
    if short not in (*FUNCTIONS, MACHINE):
        raise Refused(f"unknown function {name!r} in env {env!r}; expected one of {', '.join(FUNCTIONS)}, or "
                      f"{MACHINE} (the state machine), or the full name {prefix}<name>")
    return prefix + short


def parse_version(raw: str) -> str:
    """A published version number as Lambda spells it; `$LATEST` and non-numbers are refused."""
    text = raw.strip()
    if text.upper() == "$LATEST":
        raise Refused("$LATEST is not a release: publish a version (sam deploy does) and name its number")
    if not _VERSION.fullmatch(text) or int(text) == 0:
        raise Refused(f"malformed version {raw!r}: expected a published version number such as 3")
    return str(int(text))


def parse_percent(raw: str) -> float:
    """A share of traffic in percent, from 0 to 100 inclusive."""
    try:
        percent = float(raw)
    except ValueError:
        raise Refused(f"percent must be a number from 0 to 100, not {raw!r}") from None
    if not math.isfinite(percent) or not 0 <= percent <= 100:
        raise Refused(f"percent must be from 0 to 100, not {raw!r}")
    return percent


# ---------------------------------------------------------------------- moves
def plan_canary(state: AliasState, version: str, percent: float, sticky: bool = False) -> AliasState:
    """Send `percent` of the traffic (or of the users, if `sticky`) to `version`.

    Re-weighting the running canary is allowed; starting another one on top of it is not.
    """
    if version == state.version:
        raise Refused(f"version {version} is already live")
    if state.canary and (state.canary[0], state.sticky) != (version, sticky):
        kind = " sticky" if state.sticky else ""
        raise Refused(f"a{kind} canary of version {state.canary[0]} at {format_percent(state.canary[1])}% is "
                      "unfinished: promote it or roll it back first")
    return AliasState(state.version, (version, percent), sticky)


def plan_promote(state: AliasState) -> AliasState:
    """Make the canary version the live version, with no routing config left."""
    if not state.canary:
        raise Refused(f"no canary to promote: live is version {state.version} with no routing config")
    return AliasState(state.canary[0])


def plan_switch(state: AliasState, version: str) -> AliasState:
    """Blue/green: move all traffic to `version` at once."""
    if state.canary:
        raise Refused(f"a canary of version {state.canary[0]} is running: promote it or roll it back before a switch")
    if version == state.version:
        raise Refused(f"version {version} is already live")
    return AliasState(version)


def plan_switch_back(state: AliasState, moves: Iterable[Move]) -> AliasState:
    """Undo the last blue/green switch, if live is still where that switch put it."""
    return _undo(state, moves, ("switch",), "switch")


def plan_rollback(state: AliasState, moves: Iterable[Move]) -> AliasState:
    """Drop a running canary; else undo the last switch or promotion (one step, not a chain)."""
    if state.canary:
        return AliasState(state.version)
    return _undo(state, moves, ("switch", "promote"), "canary, switch or promotion")


def _undo(state: AliasState, moves: Iterable[Move], actions: tuple[str, ...], what: str) -> AliasState:
    last = next((m for m in reversed(list(moves)) if m.action in actions), None)
    if last is None:
        raise Refused(f"nothing to roll back: no {what} is recorded for this function")
    if state.canary or state.version != last.to_version:
        raise Refused(f"nothing to roll back: the last {last.action} moved live {last.from_version} -> "
                      f"{last.to_version}, but live is now {state.describe()}")
    return AliasState(last.from_version)
