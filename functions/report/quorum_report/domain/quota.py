"""The reporter's daily cap: how long until the next UTC day (`quorum_common.vocabulary.utc_day`) starts."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta


def seconds_until_utc_midnight(now: datetime) -> int:
    """Whole seconds (at least 1) until the next UTC day begins: the 429's Retry-After."""
    utc_now = now.astimezone(UTC)
    midnight = datetime.combine(utc_now.date() + timedelta(days=1), time(0), tzinfo=UTC)
    return max(1, math.ceil((midnight - utc_now).total_seconds()))
