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
from collections.abc import Callable, Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from quorum_ops.alarms import Alarms
from quorum_ops.aliases import Aliases
from quorum_ops.auto_canary import canary_auto
from quorum_ops.commandline import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, build_parser, check
from quorum_ops.machines import MachineTraffic
from quorum_ops.moves import Release, Unrecorded
from quorum_ops.plan import Refused
from quorum_ops.registry import Registry
from quorum_ops.release_log import ReleaseLog
from quorum_ops.traffic import Traffic


def run(release: Release, args: argparse.Namespace) -> int:
    """Dispatch one parsed command line; returns its exit code."""
    if getattr(args, "auto", False):
        return canary_auto(release, args.function, args.version, args.percent, args.bake, args.alarm,
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
