"""`quorum-release`: show and move the `live` alias of Quorum's functions, with an audit trail.

    quorum-release --env prod status
    quorum-release --env prod canary reviewer-worker --version 7 --percent 10
    quorum-release --env prod canary reviewer-worker --version 7 --percent 10 --sticky  # 10 % of users
    quorum-release --env prod promote reviewer-worker            # refused while the alarm is in ALARM
    quorum-release --env prod rollback reviewer-worker
    quorum-release --env prod switch reward-worker --version 12  # blue/green
    quorum-release --env prod switch-back reward-worker
    quorum-release --env prod history [FUNCTION]

The same code runs against AWS and the local cloud (`--endpoint-url`, default $AWS_ENDPOINT_URL).
A refused move prints why on stderr, exits 2 and changes nothing; every change is recorded in
`quorum-<env>-release-log` (who: $QUORUM_OPERATOR or the OS user).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from quorum_ops.adapters import Alarms, Aliases, Registry, ReleaseLog, Traffic
from quorum_ops.plan import (
    ENVIRONMENTS,
    FUNCTIONS,
    AliasState,
    Refused,
    format_percent,
    function_name,
    parse_percent,
    parse_version,
    plan_canary,
    plan_promote,
    plan_rollback,
    plan_switch,
    plan_switch_back,
)

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 2
Clock = Callable[[], datetime]


class Release:
    """The release commands for one environment, over the adapters they need."""

    def __init__(self, env: str, *, traffic: Traffic, log: ReleaseLog, alarms: Alarms, operator: str,
                 clock: Clock = lambda: datetime.now(UTC)):
        self.env = env
        self.traffic = traffic
        self.log = log
        self.alarms = alarms
        self.operator = operator
        self.clock = clock

    @property
    def default_alarm(self) -> str:
        return f"quorum-{self.env}-function-errors"

    # ------------------------------------------------------------------ reading
    def status(self) -> None:
        """Print each function's live alias, the alarm and the namespace's instances."""
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
        print(f"\nalarm {self.default_alarm}: {self.alarms.state(self.default_alarm) or 'not found'}")
        self._print_registrations()

    def history(self, function: str | None) -> None:
        """Print the release log, oldest first."""
        records = self.log.records(function_name(self.env, function) if function else None)
        if not records:
            print("no releases recorded")
            return
        print(f"{'#':>4}  {'WHEN (UTC)':<27} {'WHO':<14} {'FUNCTION':<34} {'ACTION':<12} FROM -> TO")
        for r in records:
            print(f"{r.seq:>4}  {r.at:<27} {r.who:<14} {r.function:<34} {r.action:<12} {r.before} -> {r.after}")

    # ------------------------------------------------------------------ moves
    def canary(self, function: str, version: str, percent: str, sticky: bool = False) -> None:
        name, wanted, share = function_name(self.env, function), parse_version(version), parse_percent(percent)
        before = self.traffic.require_state(name)
        self.traffic.require_version(name, wanted)
        after = plan_canary(before, wanted, share, sticky)
        if sticky:
            self.traffic.require_rpc_home(name)
        self._change(name, "canary", before, after)

    def promote(self, function: str, alarm: str | None) -> None:
        name = function_name(self.env, function)
        before = self.traffic.require_state(name)
        after = plan_promote(before)
        self._require_quiet_alarm(alarm)
        self._change(name, "promote", before, after)

    def rollback(self, function: str) -> None:
        name = function_name(self.env, function)
        before = self.traffic.require_state(name)
        after = plan_rollback(before, [r.move() for r in self.log.records(name)])
        self._change(name, "rollback", before, after)

    def switch(self, function: str, version: str) -> None:
        name, wanted = function_name(self.env, function), parse_version(version)
        before = self.traffic.require_state(name)
        self.traffic.require_version(name, wanted)
        after = plan_switch(before, wanted)
        self._change(name, "switch", before, after)

    def switch_back(self, function: str) -> None:
        name = function_name(self.env, function)
        before = self.traffic.require_state(name)
        after = plan_switch_back(before, [r.move() for r in self.log.records(name)])
        self._change(name, "switch-back", before, after)

    # ------------------------------------------------------------------ internals
    def _change(self, function: str, action: str, before: AliasState, after: AliasState) -> None:
        last_seq = max((r.seq for r in self.log.records()), default=0)  # read first: no log table, no change
        self.traffic.apply(function, before, after)
        try:
            record = self.log.append(last_seq, at=self.clock().isoformat(timespec="milliseconds"), who=self.operator,
                                     function=function, action=action, before=before.describe(),
                                     after=after.describe(), from_version=before.version, to_version=after.version)
        except (ClientError, RuntimeError) as exc:
            raise Unrecorded(f"{function}: live moved {before.describe()} -> {after.describe()} but the audit "
                             f"record could not be written ({exc}); record it by hand") from exc
        print(f"{action}: {function} live {record.before} -> {record.after} (release #{record.seq})")

    def _require_quiet_alarm(self, alarm: str | None) -> None:
        name = alarm or self.default_alarm
        state = self.alarms.state(name)
        if state is None and alarm:
            raise Refused(f"alarm {alarm} does not exist")
        if state is None:
            print(f"note: alarm {name} not found; promoting without an alarm check", file=sys.stderr)
        elif state == "ALARM":
            raise Refused(f"alarm {name} is in ALARM: look at the canary's errors, then roll back or wait until "
                          "it clears")

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


class Unrecorded(Exception):
    """The alias moved but its audit record could not be written."""


def _canary_text(state: AliasState) -> str:
    if not state.canary:
        return "-"
    unit = "users" if state.sticky else "requests"
    return f"version {state.canary[0]} at {format_percent(state.canary[1])}% of {unit}"


# ---------------------------------------------------------------------- command line
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--env", choices=ENVIRONMENTS, default=argparse.SUPPRESS,
                        help="environment (default: local)")
    common.add_argument("--endpoint-url", default=argparse.SUPPRESS,
                        help="AWS endpoint, e.g. the local cloud (default: $AWS_ENDPOINT_URL)")
    common.add_argument("--region", default=argparse.SUPPRESS, help="AWS region (default: from the environment)")
    parser = argparse.ArgumentParser(prog="quorum-release", parents=[common], description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=help_text, description=help_text)

    command("status", "each function's live alias, the error alarm and the registered instances")
    canary = command("canary", "send PERCENT of FUNCTION's traffic to VERSION")
    canary.add_argument("function")
    canary.add_argument("--version", required=True)
    canary.add_argument("--percent", required=True)
    canary.add_argument("--sticky", action="store_true",
                        help="a share of users (a canary instance in Cloud Map, for RPC workers), not of requests")
    promote = command("promote", "make the canary version live (refused while the alarm is in ALARM)")
    promote.add_argument("function")
    promote.add_argument("--alarm", help="alarm to check (default: quorum-<env>-function-errors, if it exists)")
    command("rollback", "drop the canary, or undo the last switch or promotion").add_argument("function")
    switch = command("switch", "blue/green: move all of FUNCTION's traffic to VERSION at once")
    switch.add_argument("function")
    switch.add_argument("--version", required=True)
    command("switch-back", "undo the last blue/green switch").add_argument("function")
    command("history", "the release log, oldest first").add_argument("function", nargs="?")
    return parser


def run(release: Release, args: argparse.Namespace) -> None:
    """Dispatch one parsed command line."""
    actions: dict[str, Callable[[], None]] = {
        "status": release.status,
        "history": lambda: release.history(args.function),
        "canary": lambda: release.canary(args.function, args.version, args.percent, args.sticky),
        "promote": lambda: release.promote(args.function, args.alarm),
        "rollback": lambda: release.rollback(args.function),
        "switch": lambda: release.switch(args.function, args.version),
        "switch-back": lambda: release.switch_back(args.function),
    }
    actions[args.command]()


def connect(env: str, endpoint_url: str | None, region: str | None) -> Release:
    """A `Release` wired to boto3 clients for `env` (clients are cheap and made here, once)."""
    import boto3

    def client(service: str) -> Any:  # the default session caches service models: much faster than new Sessions
        return boto3.client(service, region_name=region or None, endpoint_url=endpoint_url or None)

    traffic = Traffic(Aliases(client("lambda")), Registry(client("servicediscovery")), f"quorum-{env}")
    return Release(env, traffic=traffic, log=ReleaseLog(client("dynamodb"), f"quorum-{env}-release-log"),
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
    """Run the command line; returns 0 (done), 1 (an error) or 2 (refused or bad usage: nothing changed)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error (or the help)
        return exc.code if isinstance(exc.code, int) else EXIT_REFUSED
    env = getattr(args, "env", "local")
    endpoint = getattr(args, "endpoint_url", None) or os.environ.get("AWS_ENDPOINT_URL")
    try:
        run(connect(env, endpoint, getattr(args, "region", None)), args)
    except Refused as exc:
        print(f"quorum-release: refused: {exc}. Nothing was changed.", file=sys.stderr)
        return EXIT_REFUSED
    except Unrecorded as exc:
        print(f"quorum-release: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (ClientError, BotoCoreError) as exc:
        print(f"quorum-release: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
