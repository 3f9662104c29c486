"""Panel draw rules: which pool to walk, who is a candidate, how many index items to read per page.

The pool is a random-key index: every active reviewer has an entry with a uniform random
`draw_key`; a draw walks the entries from a random start (wrapping around) and re-randomises the
key of each entry it selects, which keeps long-run selection uniform among eligible reviewers.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from pydantic import BaseModel, ConfigDict

from quorum_reviewer.domain.fatigue import has_capacity
from quorum_reviewer.domain.rules import FatigueCaps

ACTIVE_POOL = "POOL#active"
MAX_PAGE = 100
READ_BUDGET_FLOOR = 200
READ_BUDGET_PER_SEAT = 40


def tag_pool(tag: str) -> str:
    """The pool of active reviewers carrying `tag`."""
    return f"{ACTIVE_POOL}#tag:{tag}"


def pool_for(tags: tuple[str, ...]) -> str:
    """The pool a draw walks: the first required tag's pool (other tags are checked per candidate)."""
    return tag_pool(tags[0]) if tags else ACTIVE_POOL


class Candidate(BaseModel):
    """One pool entry as read from the index; fatigue figures are hints (None when not on the entry)."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    entry: str
    draw_key: float
    tags: frozenset[str] = frozenset()
    region: str | None = None
    open_invitations: int | None = None
    assigned_today: int | None = None


def is_candidate(c: Candidate, blocked: Collection[str], tags: Collection[str], caps: FatigueCaps) -> bool:
    """Not blocked (excluded or already invited), carries every required tag, and looks under the caps."""
    if c.user_id in blocked or not set(tags) <= c.tags:
        return False
    if c.open_invitations is None or c.assigned_today is None:
        return True
    return has_capacity(c.open_invitations, c.assigned_today, caps)


def read_budget(seats: int) -> int:
    """The most index items one draw may read: cost stays bounded even when the pool is saturated."""
    return max(READ_BUDGET_FLOOR, READ_BUDGET_PER_SEAT * seats)


def page_size(need: int, read: int, chosen: int) -> int:
    """Items to ask for next: enough for the seats still open at the success rate seen so far."""
    rate = max(chosen / read, 0.1) if read else 1.0
    return max(2, min(MAX_PAGE, math.ceil(need / rate) + 1))
