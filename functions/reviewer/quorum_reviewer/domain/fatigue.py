"""Fatigue caps: how many open invitations and daily assignments one reviewer may carry."""

from __future__ import annotations

from quorum_reviewer.domain.rules import FatigueCaps


def has_capacity(open_invitations: int, assigned_today: int, caps: FatigueCaps) -> bool:
    """True when one more invitation keeps the reviewer within both caps."""
    return open_invitations < caps.max_open_invitations and assigned_today < caps.max_assignments_per_day


def stale_days(daily: dict[str, int], today: str) -> list[str]:
    """Daily counters of past days: housekeeping removes them."""
    return sorted(day for day in daily if day < today)
