"""The reporter's daily cap: a UTC day, and how long until the next one starts."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta


def utc_day(now: datetime) -> str:
    """The UTC date of `now`, as the quota counter's key."""
    return now.astimezone(UTC).date().isoformat()


def seconds_until_utc_midnight(now: datetime) -> int:
    """Whole seconds (at least 1) until the next UTC day begins: the 429's Retry-After."""
    utc_now = now.astimezone(UTC)
    midnight = datetime.combine(utc_now.date() + timedelta(days=1), time(0), tzinfo=UTC)
    return max(1, math.ceil((midnight - utc_now).total_seconds()))
