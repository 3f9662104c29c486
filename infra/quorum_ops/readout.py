"""What `quorum-release status` and `history` print: where traffic and cases go, and the release log."""

from __future__ import annotations

from quorum_ops.alarms import Alarms
from quorum_ops.machines import MachineTraffic
from quorum_ops.plan import FUNCTIONS, MACHINE, AliasState, Refused, format_percent, function_name
from quorum_ops.release_log import ReleaseLog
from quorum_ops.traffic import Traffic


class Readout:
    """The read-only commands, over the adapters `Release` holds."""

    def __init__(self, env: str, traffic: Traffic, machines: MachineTraffic, alarms: Alarms, log: ReleaseLog):
        self.env = env
        self.traffic = traffic
        self.machines = machines
        self.alarms = alarms
        self.log = log

    def status(self, alarm: str) -> None:
        """Print each function's and the machine's live alias, running cases per version, the alarm, the registry."""
        print(f"environment {self.env}")
        print(f"{'FUNCTION':<34} {'LIVE':<6} CANARY")
        for short in FUNCTIONS:
            name = f"quorum-{self.env}-{short}"
            try:
                state = self.traffic.state(name)
            except Refused as exc:  # status reports a tangle; the moves refuse it
                print(f"{name:<34} {'?':<6} {exc}")
                continue
            live, canary = ("-", "not deployed") if state is None else (state.version, _canary_text(state))
            print(f"{name:<34} {live:<6} {canary}")
        self._print_machine()
        print(f"\nalarm {alarm}: {self.alarms.state(alarm) or 'not found'}")
        self._print_registrations()

    def history(self, function: str | None) -> None:
        """Print the release log, oldest first."""
        records = self.log.records(function_name(self.env, function) if function else None)
        if not records:
            print("no releases recorded")
            return
        print(f"{'#':>4}  {'WHEN (UTC)':<27} {'WHO':<14} {'FUNCTION':<34} {'ACTION':<12} FROM -> TO")
        for r in records:
            print(f"{r.seq:>4}  {r.at:<27} {r.who:<14} {r.function:<34} {r.action:<12} {r.before} -> {r.after}"
                  + (f"  ({r.note})" if r.note else ""))

    def _print_machine(self) -> None:
        name = function_name(self.env, MACHINE)
        state = self.machines.state(name) if self._machine_exists(name) else None
        if state is None:
            print(f"\nstate machine {name}: not deployed")
            return
        running = self.machines.running_cases(name)
        print(f"\n{'STATE MACHINE':<34} {'LIVE':<6} CANARY")
        print(f"{name:<34} {state.version:<6} {_canary_text(state).replace('requests', 'new cases')}")
        held = ", ".join(f"version {v}: {n}" for v, n in sorted(running.items())) or "none"
        print(f"running cases per version: {held}")

    def _machine_exists(self, name: str) -> bool:
        try:
            self.machines.machine_arn(name)
        except Refused:
            return False
        return True

    def _print_registrations(self) -> None:
        namespace = f"quorum-{self.env}"
        found = self.traffic.registry.registrations(namespace)
        if found is None:
            print(f"\nnamespace {namespace}: not found")
            return
        print(f"\nnamespace {namespace}")
        print(f"{'SERVICE':<10} {'INSTANCE':<20} {'TRACK':<7} {'VERSION':<8} {'SHARE':<6} TARGET")
        for reg in found:
            a = reg.attributes
            share = f"{a['canary_percent']}%" if "canary_percent" in a else "-"
            print(f"{reg.service:<10} {reg.instance_id:<20} {a.get('track', '?'):<7} {a.get('version', '?'):<8} "
                  f"{share:<6} {a.get('alias_arn', '?')}")



def _canary_text(state: AliasState) -> str:
    if not state.canary:
        return "-"
    unit = "users" if state.sticky else "requests"
    return f"version {state.canary[0]} at {format_percent(state.canary[1])}% of {unit}"


