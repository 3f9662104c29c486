"""`canary ... --bake 10m --auto`: watch the release alarm for the bake, then promote or roll back.

The watch is pure over its ports (the alarm's state, a clock, a sleep), so tests run a
ten-minute bake in no time. CloudWatch reports a misnamed alarm as absent, not as OK: an absent
alarm, or one with INSUFFICIENT_DATA from the first look to the last, is "no data", which
refuses the promotion unless the operator said `--allow-no-data` (and the log records it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from quorum_ops.plan import Refused

ALARMED, QUIET, NO_DATA = "ALARM", "OK", "NO_DATA"
POLL_SECONDS = 10.0
_DURATION = re.compile(r"([0-9]+)([smh]?)")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600}


def parse_duration(raw: str) -> float:
    """Seconds in `90`, `90s`, `10m` or `1h`; zero and other spellings are refused."""
    match = _DURATION.fullmatch(raw.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise Refused(f"malformed bake {raw!r}: expected a duration such as 10m, 90s or 1h")
    return float(int(match.group(1)) * _UNIT[match.group(2)])


@dataclass
class Bake:
    """Polls one alarm until the first ALARM or the end of the bake."""

    alarm_state: Callable[[str], str | None]
    clock: Callable[[], datetime]
    sleep: Callable[[float], None]
    poll_seconds: float = POLL_SECONDS

    def watch(self, alarm: str, seconds: float) -> str:
        """ALARM at the first ALARM; OK if the alarm had data and never alarmed; else NO_DATA."""
        started, had_data = self.clock(), False
        while True:
            state = self.alarm_state(alarm)
            if state == ALARMED:
                return ALARMED
            had_data = had_data or state == QUIET
            remaining = seconds - (self.clock() - started).total_seconds()
            if remaining <= 0:
                return QUIET if had_data else NO_DATA
            self.sleep(min(self.poll_seconds, remaining))
