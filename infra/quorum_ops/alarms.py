"""The CloudWatch alarm a release watches."""

from __future__ import annotations

from typing import Any


class Alarms:
    """CloudWatch alarm states."""

    def __init__(self, cloudwatch_client: Any):
        self.cw = cloudwatch_client

    def state(self, name: str) -> str | None:
        """`OK`, `ALARM` or `INSUFFICIENT_DATA`; None when no alarm has that name."""
        found = self.cw.describe_alarms(AlarmNames=[name])
        alarms = found.get("MetricAlarms", []) + found.get("CompositeAlarms", [])
        return alarms[0]["StateValue"] if alarms else None
