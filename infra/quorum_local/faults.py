"""Fault injection for the local cloud: `QUORUM_FAULTS` makes a share of invocations fail *after*
their handler ran (the work is done, the caller sees a failure and retries: the worst case for
idempotency).

    QUORUM_FAULTS="reviewer-worker:draw_panel=0.3,reward-worker:grant_rewards=0.3,report-worker:*=0.2"
    QUORUM_FAULTS_SEED=7        # the same faults on the same invocations, run after run (default 0)

Each rule is `<function>:<action>=<share>`: the function's name without `quorum-<env>-`, one of
its worker actions (exact) or `*` (every invocation of the function, the only choice for
functions without actions), and a share in [0, 1]. The fault is a `TransientError`, which every
task of the state machine retries. No invocation key (function and event) fails more than
`MAX_CONSECUTIVE` times in a row, so every retried step ends, as each does in AWS eventually.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FAULTS_ENV = "QUORUM_FAULTS"
SEED_ENV = "QUORUM_FAULTS_SEED"
MAX_CONSECUTIVE = 3  # below every task's MaxAttempts: a run always gets through
ANY = "*"
Rule = tuple[str, str]  # (function, action or ANY)


class FaultSpecError(ValueError):
    """`QUORUM_FAULTS` (or its seed) cannot be read; the message says which part and why."""


def parse_spec(spec: str, functions: Mapping[str, frozenset[str]]) -> dict[Rule, float]:
    """The rules of `spec`; `functions` maps each function to its actions (empty: only `*`)."""
    rules: dict[Rule, float] = {}
    for part in (p.strip() for p in spec.split(",")):
        if part:
            rule, share = _rule(part, functions)
            rules[rule] = share
    return rules


def _rule(part: str, functions: Mapping[str, frozenset[str]]) -> tuple[Rule, float]:
    target, equals, share_text = part.partition("=")
    function, colon, action = target.strip().partition(":")
    if not equals or not colon or not function or not action.strip():
        raise FaultSpecError(f"{part!r} is not <function>:<action>=<share> (e.g. reviewer-worker:draw_panel=0.3)")
    action = action.strip()
    if function not in functions:
        raise FaultSpecError(f"{part!r}: no function {function!r}; the functions are {', '.join(sorted(functions))}")
    if action != ANY and action not in functions[function]:
        known = ", ".join(sorted(functions[function])) or "none: use *"
        raise FaultSpecError(f"{part!r}: {function} has no action {action!r}; its actions are {known}")
    return (function, action), _share(part, share_text)


def _share(part: str, text: str) -> float:
    try:
        share = float(text)
    except ValueError:
        raise FaultSpecError(f"{part!r}: the share {text.strip()!r} is not a number") from None
    if not 0.0 <= share <= 1.0:
        raise FaultSpecError(f"{part!r}: the share must be between 0 and 1")
    return share


def parse_seed(text: str | None) -> int:
    try:
        return int(text) if text else 0
    except ValueError:
        raise FaultSpecError(f"{SEED_ENV}={text!r} is not an integer") from None


@dataclass
class FaultPlan:
    """Which invocations fail: the rules, a seeded draw, and each invocation key's run of faults."""

    rules: dict[Rule, float] = field(default_factory=dict)
    seed: int = 0
    injected: int = 0
    _streaks: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    @property
    def active(self) -> bool:
        return any(self.rules.values())

    def strikes(self, function: str, event: Any, key: str) -> bool:
        """Whether this invocation (its handler has run) fails: drawn per the rules, and at most
        `MAX_CONSECUTIVE` times in a row per `key` (the function and its event as received)."""
        action = event.get("action") if isinstance(event, dict) else None
        share = self.rules.get((function, str(action)), self.rules.get((function, ANY), 0.0))
        if not share:
            return False
        key = f"{function}:{key}"
        with self._lock:
            streak = self._streaks.get(key, 0)
            strike = streak < MAX_CONSECUTIVE and self._rng.random() < share
            self._streaks[key] = streak + 1 if strike else 0
            self.injected += strike
        return strike


def plan_from(environ: Mapping[str, str], functions: Mapping[str, frozenset[str]]) -> FaultPlan:
    """The plan `QUORUM_FAULTS` and `QUORUM_FAULTS_SEED` describe (no rules when unset)."""
    spec = environ.get(FAULTS_ENV, "")
    return FaultPlan(parse_spec(spec, functions), parse_seed(environ.get(SEED_ENV)))


def injected_fault(function: str, event: Any) -> Exception:
    """The error a struck invocation ends with: `TransientError`, which every task retries."""
    from quorum_common.errors import TransientError  # the layer is importable once the runtime is installed

    action = event.get("action", "*") if isinstance(event, dict) else "*"
    return TransientError(f"{FAULTS_ENV}: injected fault after {function}:{action} ran")
