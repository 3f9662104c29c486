"""The release moves of one environment: canary, promote, rollback, switch and switch-back, each audited.

Each move reads the state, plans the next one (quorum_ops.plan), steers the function's traffic or
the voting machine's new cases there, and appends a record to the release log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from quorum_ops.alarm_gate import AlarmGate
from quorum_ops.alarms import Alarms
from quorum_ops.machines import MachineTraffic, is_machine
from quorum_ops.plan import (
    AliasState,
    function_name,
    parse_percent,
    parse_version,
    plan_canary,
    plan_promote,
    plan_rollback,
    plan_switch,
    plan_switch_back,
)
from quorum_ops.readout import Readout
from quorum_ops.release_log import Record, ReleaseLog
from quorum_ops.traffic import Traffic

Clock = Callable[[], datetime]


class Release:
    """The release commands for one environment, over the adapters they need."""

    def __init__(self, env: str, *, traffic: Traffic, machines: MachineTraffic, log: ReleaseLog, alarms: Alarms,
                 operator: str, clock: Clock = lambda: datetime.now(UTC), sleep: Callable[[float], None] = time.sleep):
        self.env = env
        self.traffic = traffic
        self.machines = machines
        self.log = log
        self.alarms = alarms
        self.gate = AlarmGate(alarms, self.default_alarm)
        self.operator = operator
        self.clock = clock
        self.sleep = sleep

    @property
    def default_alarm(self) -> str:
        return f"quorum-{self.env}-release"

    def _steer(self, name: str) -> Traffic | MachineTraffic:
        return self.machines if is_machine(name) else self.traffic

    # ------------------------------------------------------------------ reading
    def status(self) -> None:
        """Print each function's and the machine's live alias, the running cases, the alarm and the registry."""
        Readout(self.env, self.traffic, self.machines, self.alarms, self.log).status(self.default_alarm)

    def history(self, function: str | None) -> None:
        """Print the release log, oldest first."""
        Readout(self.env, self.traffic, self.machines, self.alarms, self.log).history(function)

    # ------------------------------------------------------------------ moves
    def canary(self, function: str, version: str, percent: str, sticky: bool = False) -> None:
        name, wanted, share = function_name(self.env, function), parse_version(version), parse_percent(percent)
        steer = self._steer(name)
        before = steer.require_state(name)
        steer.require_version(name, wanted)
        after = plan_canary(before, wanted, share, sticky)
        if sticky:
            steer.require_rpc_home(name)
        self._change(name, "canary", before, after)

    def promote(self, function: str, alarm: str | None, allow_no_data: bool = False, note: str = "") -> None:
        name = function_name(self.env, function)
        before = self._steer(name).require_state(name)
        after = plan_promote(before)
        checked = self.gate.require_quiet(alarm, allow_no_data)
        self._change(name, "promote", before, after, note or checked)

    def rollback(self, function: str, note: str = "") -> None:
        name = function_name(self.env, function)
        before = self._steer(name).require_state(name)
        after = plan_rollback(before, [r.move() for r in self.log.records(name)])
        self._change(name, "rollback", before, after, note)

    def switch(self, function: str, version: str) -> None:
        name, wanted = function_name(self.env, function), parse_version(version)
        steer = self._steer(name)
        before = steer.require_state(name)
        steer.require_version(name, wanted)
        after = plan_switch(before, wanted)
        self._change(name, "switch", before, after)

    def switch_back(self, function: str) -> None:
        name = function_name(self.env, function)
        before = self._steer(name).require_state(name)
        after = plan_switch_back(before, [r.move() for r in self.log.records(name)])
        self._change(name, "switch-back", before, after)

    # ------------------------------------------------------------------ internals
    def _change(self, function: str, action: str, before: AliasState, after: AliasState, note: str = "") -> None:
        last_seq = self._last_seq()  # read first: no log table, no change
        self._steer(function).apply(function, before, after)
        try:
            record = self._record(last_seq, function, action, before, after, note)
        except (ClientError, RuntimeError) as exc:
            raise Unrecorded(f"{function}: live moved {before.describe()} -> {after.describe()} but the audit "
                             f"record could not be written ({exc}); record it by hand") from exc
        print(f"{action}: {function} live {record.before} -> {record.after} (release #{record.seq})"
              + (f" [{note}]" if note else ""))

    def record_refusal(self, function: str, reason: str) -> None:
        """An --auto release that did not start is recorded too: live stays where it was."""
        name = function_name(self.env, function)
        state = self._steer(name).require_state(name)
        self._record(self._last_seq(), name, "auto-refused", state, state, reason)

    def _last_seq(self) -> int:
        return max((r.seq for r in self.log.records()), default=0)

    def _record(self, last_seq: int, function: str, action: str, before: AliasState, after: AliasState,
                note: str) -> Record:
        return self.log.append(last_seq, at=self.clock().isoformat(timespec="milliseconds"), who=self.operator,
                               function=function, action=action, before=before.describe(), after=after.describe(),
                               from_version=before.version, to_version=after.version, note=note)


class Unrecorded(Exception):
    """The alias moved but its audit record could not be written."""
