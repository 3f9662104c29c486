"""The worker versions a case is pinned to, so RPC made on the case's behalf runs the same code.

Each published version of the voting state machine names exact worker *versions* and passes
them to the report worker's tasks as `"pins": {"reviewer": <version ARN>, ...}`. The worker
dispatcher takes them off the event (`take`) for the task's duration; the RPC client then
invokes a pinned service at that version instead of the ARN Cloud Map registers (`pinned`).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

_current: ContextVar[Mapping[str, str] | None] = ContextVar("quorum_pins", default=None)


def take(event: Any) -> Any:
    """`event` without its `pins`, which become the current task's pins (none when absent)."""
    if not isinstance(event, dict):
        _current.set({})
        return event
    rest = dict(event)
    raw = rest.pop("pins", None)
    _current.set({str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {})
    return rest


def current() -> dict[str, str]:
    """Every pin of the current task (none outside a pinned task)."""
    return dict(_current.get() or {})


def pinned(service: str) -> str | None:
    """The version ARN the current task pins `service` to, or None."""
    return (_current.get() or {}).get(service)
