"""`quorum-local`: run the local cloud, or mint a local bearer token.

    quorum-local run --state .quorum-state   # the whole platform on 127.0.0.1, data kept across restarts (make run)
    quorum-local run                      # the same, data in memory only
    quorum-local token --sub u-1 --groups user
    quorum-local token --sub listing-svc --groups module --module listing
    quorum-local publish report-worker    # a new version from the code on disk (live stays put)
    quorum-local publish voting           # a new state-machine version naming the workers' latest versions
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from quorum_common.vocabulary import MODULES
from quorum_local import tokens
from quorum_local.faults import FAULTS_ENV, FaultPlan, FaultSpecError
from quorum_local.server import LocalCloud, Settings
from quorum_local.state import SAVE_EVERY_SECONDS
from quorum_local.template import ROOT, Template


def _token_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sub", required=True, help="user or module id")
    parser.add_argument("--groups", required=True, help="comma-separated: module, user, ops")
    parser.add_argument("--module", choices=MODULES, help="the module a module token speaks for (quorum_module)")
    parser.add_argument("--ttl", type=int, default=12 * 3600, help="seconds the token stays valid")


@functools.cache
def _issuer_and_audience() -> tuple[str, str]:
    """template.yaml's defaults, read once: a journey mints a token per request, and the template takes ~50 ms."""
    params = Template.load("local").parameters
    return params["JwtIssuer"], params["JwtAudience"]


def mint_local_token(sub: str, groups: list[str], ttl: int = 12 * 3600, secret: str | None = None,
                     module: str | None = None) -> str:
    """A token the local gateway accepts (issuer and audience from template.yaml's defaults); a module
    token names the module it speaks for in `module`."""
    issuer, audience = _issuer_and_audience()
    return tokens.mint(secret or Settings.from_environ().jwt_secret, sub, groups,
                       issuer=issuer, audience=audience, ttl_seconds=ttl, module=module)


def cmd_token(args: argparse.Namespace) -> int:
    groups = [g.strip() for g in args.groups.split(",") if g.strip()]
    unknown = set(groups) - {"module", "user", "ops"}
    if unknown or not groups:
        print(f"error: --groups takes module, user and/or ops (got {args.groups!r})", file=sys.stderr)
        return 2
    if ("module" in groups) != bool(args.module):
        print("error: a module token needs --module (listing, post, ...), and only a module token takes it",
              file=sys.stderr)
        return 2
    print(mint_local_token(args.sub, groups, args.ttl, module=args.module))
    return 0


def state_line(state_dir: Path | None, restored: dict[str, int]) -> str:
    """Where the local cloud's data lives, for the banner: a restart must not surprise anyone."""
    if state_dir is None:
        return "in memory only: Ctrl-C ends it (keep it across restarts: quorum-local run --state DIR)"
    found = f"restored {sum(restored.values())} items" if restored else "nothing saved yet"
    return f"{state_dir} ({found}; saved every {SAVE_EVERY_SECONDS} s and on Ctrl-C)"


def banner(settings: Settings, state: str) -> str:
    ops = mint_local_token("ops-1", ["ops"])
    return f"""
Quorum local cloud is up.
  Console   {settings.api_url}/console/  (sign in with a user id and a role: ops, user or module)
  API       {settings.api_url}          (health: {settings.api_url}/v1/health)
  AWS       {settings.aws_url}          (aws --endpoint-url {settings.aws_url} ...)
  OpenAPI   {settings.api_url}/v1/openapi.json
  Data      {state}

An ops token (12 h):
  {ops}

Try:
  curl -s {settings.api_url}/v1/policies -H "Authorization: Bearer {ops}"
  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1 \\
    aws --endpoint-url {settings.aws_url} dynamodb list-tables
More tokens: make token ARGS="--sub u-1 --groups user"   (or .venv/bin/quorum-local token ...)
  a module:  make token ARGS="--sub listing-svc --groups module --module listing"
Ctrl-C stops everything.
"""


def check_faults() -> None:
    """Read `QUORUM_FAULTS` against the template's functions before anything starts (nothing to read
    without it: the template and the handlers are loaded once, by the cloud itself)."""
    if not os.environ.get(FAULTS_ENV):
        return
    from quorum_local import runtime  # moto: only for `run`

    template = Template.load("local")
    runtime.prepare(template)
    runtime.fault_plan(template)


def faults_banner(plan: FaultPlan) -> str:
    rules = ", ".join(f"{fn}:{action}={share:g}" for (fn, action), share in sorted(plan.rules.items()))
    return f"Fault injection is on ({FAULTS_ENV}): {rules} (seed {plan.seed}); failures come after the handler ran."


def cmd_run(args: argparse.Namespace) -> int:
    # Functions whose request records no business metric still flush: that is not worth a warning here.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    try:
        check_faults()
    except FaultSpecError as exc:
        print(f"error: {FAULTS_ENV}: {exc}", file=sys.stderr, flush=True)
        return 2
    settings = Settings.from_environ()
    cloud = LocalCloud(settings, progress=lambda msg: print(f"  + {msg}", flush=True), state_dir=args.state)
    started = time.monotonic()
    print(f"Provisioning template.yaml on moto at {settings.aws_url} ...", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    cloud.start()
    if cloud.faults.active:
        print(faults_banner(cloud.faults), flush=True)
    if args.seed and not cloud.restored:  # restored data already holds the demo data, and whatever came after
        from quorum_local.seed import seed_demo_data
        seed_demo_data(settings.api_url, mint_local_token, progress=lambda msg: print(f"  * {msg}", flush=True))
    print(banner(settings, state_line(args.state, cloud.restored)), flush=True)
    print(f"Ready in {time.monotonic() - started:.1f} s.", flush=True)
    stop.wait()
    print("Stopping ...", flush=True)
    cloud.stop()
    print("Stopped.", flush=True)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    import boto3

    from quorum_local.publish import MACHINE, publish_function, publish_machine
    from quorum_local.server import REGION

    settings = Settings.from_environ()

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=settings.aws_url,
                            aws_access_key_id="local", aws_secret_access_key="local")
    template, root = Template.load("local"), Path(args.source).resolve()
    if args.name.removeprefix("quorum-local-") == MACHINE:
        version, pins = publish_machine(template, client("stepfunctions"), client("lambda"), root)
        named = ", ".join(arn.rsplit(":", 2)[-2].removeprefix("quorum-local-") + ":" + arn.rsplit(":", 1)[1]
                          for arn in pins.values())
        print(f"published quorum-local-voting version {version} (names {named}); live is unchanged")
        return 0
    try:
        version = publish_function(template, client("lambda"), args.name, root)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"published quorum-local-{args.name.removeprefix('quorum-local-')} version {version} from {root}; "
          "live is unchanged")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="quorum-local", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="start the whole platform locally")
    run.add_argument("--no-seed", dest="seed", action="store_false", help="skip the demo data")
    run.add_argument("--state", type=Path, metavar="DIR",
                     help="keep the data (every DynamoDB item) in DIR across restarts; default: in memory only")
    _token_args(sub.add_parser("token", help="mint a local bearer token"))
    publish = sub.add_parser("publish", help="publish a new version of a function, or of voting, into the running cloud")
    publish.add_argument("name", help="a function's short name (report-worker, ...) or voting")
    publish.add_argument("--from", dest="source", default=str(ROOT), help="the tree to take the code from (default: this one)")
    args = parser.parse_args(argv)
    if args.command == "token":
        return cmd_token(args)
    if args.command == "publish":
        return cmd_publish(args)
    if args.command in (None, "run"):
        args.seed = getattr(args, "seed", True)
        args.state = getattr(args, "state", None)
        return cmd_run(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
