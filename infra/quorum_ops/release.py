"""`quorum-release`: show and move the `live` alias of Quorum's functions, with an audit trail.

    quorum-release --env prod status
    quorum-release --env prod canary reviewer-worker --version 7 --percent 10
    quorum-release --env prod canary reviewer-worker --version 7 --percent 10 --sticky  # 10 % of users
    quorum-release --env prod promote reviewer-worker            # refused while the alarm is in ALARM
    quorum-release --env prod rollback reviewer-worker
    quorum-release --env prod switch reward-worker --version 12  # blue/green
    quorum-release --env prod switch-back reward-worker
    quorum-release --env prod history [FUNCTION]
    quorum-release --env prod canary voting --version 4 --percent 10    # a share of new cases
    quorum-release --env prod canary voting --version 4 --percent 10 --bake 10m --auto  # exit 0 or 3

The same code runs against AWS and the local cloud (`--endpoint-url`, default $AWS_ENDPOINT_URL).
A refused move prints why on stderr, exits 2 and changes nothing; every change is recorded in
`quorum-<env>-release-log` (who: $QUORUM_OPERATOR or the OS user). `--auto` exits 3 when it
rolled the canary back. `voting` is the state machine; the rest are functions.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from quorum_ops.adapters import Alarms, Aliases, Registry, ReleaseLog, Traffic
from quorum_ops.bake import ALARMED, NO_DATA, Bake, parse_duration
from quorum_ops.commandline import build_parser, check
from quorum_ops.machines import MachineTraffic, is_machine
from quorum_ops.plan import (
    AliasState,
    Refused,
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

EXIT_OK, EXIT_ERROR, EXIT_REFUSED, EXIT_ROLLED_BACK = 0, 1, 2, 3
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

    def canary_auto(self, function: str, version: str, percent: str, bake: str, alarm: str | None,
                    allow_no_data: bool) -> int:
        """Canary, watch the alarm for the bake, then promote (0) or roll back (3; 2 when it had no data)."""
        seconds, watched = parse_duration(bake), alarm or self.default_alarm
        try:
            note = self._no_data_note(watched, allow_no_data) if self.alarms.state(watched) is None else ""
        except Refused as exc:
            self._record_refusal(function, str(exc))
            raise
        self.canary(function, version, percent)
        print(f"baking {function} version {version} for {bake}, watching alarm {watched}", flush=True)
        verdict = Bake(self.alarms.state, self.clock, self.sleep).watch(watched, seconds)
        if verdict == ALARMED:
            self.rollback(function, note=f"auto: alarm {watched} went into ALARM during the bake")
            return EXIT_ROLLED_BACK
        if verdict == NO_DATA and not allow_no_data:
            self.rollback(function, note=f"auto: alarm {watched} had no data for the whole bake")
            print(f"quorum-release: refused: alarm {watched} had no data for the whole bake; the canary was rolled "
                  "back and live is as before (--allow-no-data promotes anyway, recorded)", file=sys.stderr)
            return EXIT_REFUSED
        self.promote(function, alarm, allow_no_data, note=note or ("auto: no data, allowed" if verdict == NO_DATA
                                                                  else f"auto: {watched} quiet for {bake}"))
        return EXIT_OK

    def promote(self, function: str, alarm: str | None, allow_no_data: bool = False, note: str = "") -> None:
        name = function_name(self.env, function)
        before = self._steer(name).require_state(name)
        after = plan_promote(before)
        checked = self._require_quiet_alarm(alarm, allow_no_data)
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
        last_seq = max((r.seq for r in self.log.records()), default=0)  # read first: no log table, no change
        self._steer(function).apply(function, before, after)
        try:
            record = self.log.append(last_seq, at=self.clock().isoformat(timespec="milliseconds"), who=self.operator,
                                     function=function, action=action, before=before.describe(),
                                     after=after.describe(), from_version=before.version, to_version=after.version,
                                     note=note)
        except (ClientError, RuntimeError) as exc:
            raise Unrecorded(f"{function}: live moved {before.describe()} -> {after.describe()} but the audit "
                             f"record could not be written ({exc}); record it by hand") from exc
        print(f"{action}: {function} live {record.before} -> {record.after} (release #{record.seq})"
              + (f" [{note}]" if note else ""))

    def _record_refusal(self, function: str, reason: str) -> None:
        """An --auto release that did not start is recorded too: live stays where it was."""
        name = function_name(self.env, function)
        state = self._steer(name).require_state(name)
        last_seq = max((r.seq for r in self.log.records()), default=0)
        self.log.append(last_seq, at=self.clock().isoformat(timespec="milliseconds"), who=self.operator,
                        function=name, action="auto-refused", before=state.describe(), after=state.describe(),
                        from_version=state.version, to_version=state.version, note=reason)

    def _require_quiet_alarm(self, alarm: str | None, allow_no_data: bool) -> str:
        """Refuse while the alarm is in ALARM, or has no say (absent, no data) unless allowed; the note to record."""
        name = alarm or self.default_alarm
        state = self.alarms.state(name)
        if state == "ALARM":
            raise Refused(f"alarm {name} is in ALARM: look at the canary's errors, then roll back or wait until "
                          "it clears")
        if state is None:
            return self._no_data_note(name, allow_no_data)
        if state == "INSUFFICIENT_DATA":
            if not allow_no_data:
                raise Refused(f"alarm {name} has no data (INSUFFICIENT_DATA), so it cannot vouch for the canary; "
                              "wait for traffic, or pass --allow-no-data (recorded)")
            return f"allow-no-data: alarm {name} had INSUFFICIENT_DATA"
        return ""

    @staticmethod
    def _no_data_note(name: str, allow_no_data: bool) -> str:
        if not allow_no_data:
            raise Refused(f"alarm {name} does not exist (CloudWatch would call a misnamed alarm quiet); name one "
                          "with --alarm, or pass --allow-no-data (recorded)")
        return f"allow-no-data: alarm {name} not found"

class Unrecorded(Exception):
    """The alias moved but its audit record could not be written."""


# ---------------------------------------------------------------------- command line
def run(release: Release, args: argparse.Namespace) -> int:
    """Dispatch one parsed command line; returns its exit code."""
    if getattr(args, "auto", False):
        return release.canary_auto(args.function, args.version, args.percent, args.bake, args.alarm,
                                   args.allow_no_data)
    actions: dict[str, Callable[[], None]] = {
        "status": release.status,
        "history": lambda: release.history(args.function),
        "canary": lambda: release.canary(args.function, args.version, args.percent, args.sticky),
        "promote": lambda: release.promote(args.function, args.alarm, args.allow_no_data),
        "rollback": lambda: release.rollback(args.function),
        "switch": lambda: release.switch(args.function, args.version),
        "switch-back": lambda: release.switch_back(args.function),
    }
    actions[args.command]()
    return EXIT_OK


def connect(env: str, endpoint_url: str | None, region: str | None) -> Release:
    """A `Release` wired to boto3 clients for `env` (clients are cheap and made here, once)."""
    import boto3

    def client(service: str) -> Any:  # the default session caches service models: much faster than new Sessions
        return boto3.client(service, region_name=region or None, endpoint_url=endpoint_url or None)

    traffic = Traffic(Aliases(client("lambda")), Registry(client("servicediscovery")), f"quorum-{env}")
    return Release(env, traffic=traffic, machines=MachineTraffic(client("stepfunctions")),
                   log=ReleaseLog(client("dynamodb"), f"quorum-{env}-release-log"),
                   alarms=Alarms(client("cloudwatch")), operator=operator())


def operator() -> str:
    """Who is releasing: $QUORUM_OPERATOR, else the OS user."""
    explicit = os.environ.get("QUORUM_OPERATOR")
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line: 0 (done), 1 (an error), 2 (refused or bad usage: nothing changed), 3 (rolled back)."""
    try:
        parser = build_parser()
        args = check(parser, parser.parse_args(argv))
    except SystemExit as exc:  # argparse has printed the usage error (or the help)
        return exc.code if isinstance(exc.code, int) else EXIT_REFUSED
    env = getattr(args, "env", "local")
    endpoint = getattr(args, "endpoint_url", None) or os.environ.get("AWS_ENDPOINT_URL")
    try:
        return run(connect(env, endpoint, getattr(args, "region", None)), args)
    except Refused as exc:
        print(f"quorum-release: refused: {exc}. Nothing was changed.", file=sys.stderr)
        return EXIT_REFUSED
    except Unrecorded as exc:
        print(f"quorum-release: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (ClientError, BotoCoreError) as exc:
        print(f"quorum-release: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
