"""The words every capability shares, defined once: ids, modules, decisions, tags, the day, "now".

Each capability names people, content and cases another one stored, so the rules for those
names live here rather than in any one capability.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal, get_args

from pydantic import StringConstraints

from quorum_common.errors import InvalidInput

# Letters and digits first, then also . _ : @ -; no "/" "%" "#" or spaces (keys and paths use them).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@-]*$"
ID_MAX_LENGTH = 128
EntityId = Annotated[str, StringConstraints(min_length=1, max_length=ID_MAX_LENGTH, pattern=ID_PATTERN)]

Module = Literal["listing", "post", "comment", "chat", "review"]
MODULES: tuple[Module, ...] = get_args(Module)

Decision = Literal["violation", "no_violation"]  # a case's decision, and a reviewer's verdict
DECISIONS: tuple[Decision, ...] = get_args(Decision)

TAG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TAG_MAX_LENGTH = 32
Tag = Annotated[str, StringConstraints(min_length=1, max_length=TAG_MAX_LENGTH, pattern=TAG_PATTERN)]


class UnknownModule(InvalidInput):
    """The module is not one of listing, post, comment, chat, review."""

    code = "unknown_module"


def unknown_module(details: list[dict[str, str]] | None = None) -> UnknownModule:
    """The one refusal of a module Quorum does not know (422 unknown_module), whichever code finds it."""
    return UnknownModule(f"Unknown module; expected one of {', '.join(MODULES)}.",
                         details=details or [{"field": "module", "message": "unknown module"}])


def check_module(module: str) -> Module:
    """`module` if Quorum knows it, else `UnknownModule` (422 unknown_module)."""
    for known in MODULES:
        if module == known:
            return known
    raise unknown_module()


def utc_now() -> datetime:
    """Now, timezone-aware, in UTC: the one clock the handlers wire into the use cases."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive time is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_day(moment: datetime) -> str:
    """The UTC calendar day (YYYY-MM-DD) of `moment`: the unit of every daily cap and counter."""
    return as_utc(moment).date().isoformat()
