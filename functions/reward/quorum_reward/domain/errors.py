"""What can go wrong in the reward capability.

Caller mistakes subclass the common layer's kinds (so the HTTP edge maps them to statuses);
the storage signals below them are how a repository reports a lost race to a use case.
Class names double as Step Functions `ErrorEquals` values: keep them stable.
"""

from __future__ import annotations

from typing import Any

from quorum_common.errors import Conflict, NotFound


class ItemNotFound(NotFound):
    """No mall item has this id."""

    code = "item_not_found"


class InsufficientPoints(Conflict):
    """The caller's balance does not cover the redemption."""

    code = "insufficient_points"


class InsufficientStock(Conflict):
    """The item has fewer units left than the caller asked for."""

    code = "insufficient_stock"


# ---------------------------------------------------------------- storage signals (not caller mistakes)
class WriteConflict(Exception):
    """A write lost a race (transaction conflict, throttling): read again and retry."""


class AlreadyGranted(Exception):
    """The (case, reviewer) grant marker exists: the grant happened before with `points`."""

    def __init__(self, points: int):
        super().__init__(f"already granted ({points} points)")
        self.points = points


class DailyTotalMoved(Exception):
    """The reviewer's daily total changed since it was read: recompute the capped points."""


class PriceChanged(Exception):
    """The item's price changed since it was read: price the redemption again."""


class DuplicateRedemption(Exception):
    """A redemption with this id exists already (a retried request); `existing` is it."""

    def __init__(self, existing: Any):
        super().__init__("redemption exists")
        self.existing = existing
