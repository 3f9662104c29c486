"""The command line of `quorum-release`: its commands, their arguments and their help."""

from __future__ import annotations

import argparse

from quorum_ops.plan import ENVIRONMENTS

EXIT_OK, EXIT_ERROR, EXIT_REFUSED, EXIT_ROLLED_BACK = 0, 1, 2, 3  # done, an error, refused (nothing changed), rolled back
DESCRIPTION = "quorum-release: show and move the live alias of Quorum's functions and of its voting state machine."
ALLOW_NO_DATA = "promote even though the alarm is absent or has no data (the release log records it)"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--env", choices=ENVIRONMENTS, default=argparse.SUPPRESS,
                        help="environment (default: local)")
    common.add_argument("--endpoint-url", default=argparse.SUPPRESS,
                        help="AWS endpoint, e.g. the local cloud (default: $AWS_ENDPOINT_URL)")
    common.add_argument("--region", default=argparse.SUPPRESS, help="AWS region (default: from the environment)")
    parser = argparse.ArgumentParser(prog="quorum-release", parents=[common], description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=help_text, description=help_text)

    command("status", "each function's and the voting machine's live alias, running cases, the alarm, the registry")
    canary = command("canary", "send PERCENT of FUNCTION's traffic (or of voting's new cases) to VERSION")
    canary.add_argument("function", help="a function's short name, or voting (the state machine)")
    canary.add_argument("--version", required=True)
    canary.add_argument("--percent", required=True)
    canary.add_argument("--sticky", action="store_true",
                        help="a share of users (a canary instance in Cloud Map, for RPC workers), not of requests")
    canary.add_argument("--bake", help="with --auto: how long to watch the alarm (10m, 90s, 1h)")
    canary.add_argument("--auto", action="store_true",
                        help="watch the alarm for --bake, then promote (exit 0) or roll back at the first ALARM (exit 3)")
    canary.add_argument("--alarm", help="with --auto: alarm to watch (default: quorum-<env>-release)")
    canary.add_argument("--allow-no-data", action="store_true", help=ALLOW_NO_DATA)
    promote = command("promote", "make the canary version live (refused while the alarm is in ALARM or has no data)")
    promote.add_argument("function")
    promote.add_argument("--alarm", help="alarm to check (default: quorum-<env>-release)")
    promote.add_argument("--allow-no-data", action="store_true", help=ALLOW_NO_DATA)
    command("rollback", "drop the canary, or undo the last switch or promotion").add_argument("function")
    switch = command("switch", "blue/green: move all of FUNCTION's traffic (or voting's new cases) to VERSION at once")
    switch.add_argument("function")
    switch.add_argument("--version", required=True)
    command("switch-back", "undo the last blue/green switch").add_argument("function")
    command("history", "the release log, oldest first").add_argument("function", nargs="?")
    return parser


def check(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.Namespace:
    """Refuse (exit 2, through argparse) the combinations the parser alone cannot."""
    if args.command == "canary":
        if args.auto and not args.bake:
            parser.error("--auto needs --bake DURATION (how long to watch the alarm)")
        if (args.bake or args.alarm or args.allow_no_data) and not args.auto:
            parser.error("--bake, --alarm and --allow-no-data on canary go with --auto")
        if args.auto and args.sticky:
            parser.error("--auto promotes weighted canaries; a sticky canary is promoted by hand")
    return args
