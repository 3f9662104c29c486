"""Whether the release alarm lets a canary be promoted, and the note the release log records when it had no say."""

from __future__ import annotations

from quorum_ops.alarms import Alarms
from quorum_ops.plan import Refused


class AlarmGate:
    """The environment's release alarm (or the one named) as a gate in front of a promotion."""

    def __init__(self, alarms: Alarms, default_alarm: str):
        self.alarms = alarms
        self.default_alarm = default_alarm

    def require_quiet(self, alarm: str | None, allow_no_data: bool) -> str:
        """Refuse while the alarm is in ALARM, or has no say (absent, no data) unless allowed; the note to record."""
        name = alarm or self.default_alarm
        state = self.alarms.state(name)
        if state == "ALARM":
            raise Refused(f"alarm {name} is in ALARM: look at the canary's errors, then roll back or wait until "
                          "it clears")
        if state is None:
            return self.no_data_note(name, allow_no_data)
        if state == "INSUFFICIENT_DATA":
            if not allow_no_data:
                raise Refused(f"alarm {name} has no data (INSUFFICIENT_DATA), so it cannot vouch for the canary; "
                              "wait for traffic, or pass --allow-no-data (recorded)")
            return f"allow-no-data: alarm {name} had INSUFFICIENT_DATA"
        return ""

    @staticmethod
    def no_data_note(name: str, allow_no_data: bool) -> str:
        """Refuse an alarm that does not exist unless allowed; the note to record when allowed."""
        if not allow_no_data:
            raise Refused(f"alarm {name} does not exist (CloudWatch would call a misnamed alarm quiet); name one "
                          "with --alarm, or pass --allow-no-data (recorded)")
        return f"allow-no-data: alarm {name} not found"
