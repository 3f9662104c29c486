"""Cold-start cost of every function beside a boto3 baseline, measured in the same run.

For each function of template.yaml, a fresh Python process imports the handler and invokes it
once with a trivial event (an API function gets a request for an unknown route, a worker an
unknown action); the time from before the first import to after that invoke is the init time.
The baseline process only does `import boto3; boto3.client("dynamodb")`. Runs alternate and
the median of N runs is printed, with the ratio to the baseline's median.

    python bench/coldstart.py [--runs 9] [--tracing off|on|both] [--compare-tree DIR]

`--compare-tree DIR` measures another checkout of Quorum (for example the commit before a
refactor: `git worktree add /tmp/before <commit>`) in the same run, interleaved with this one,
and prints its medians beside this tree's.

Lambda's environment: every probe runs with LAMBDA_TASK_ROOT and AWS_LAMBDA_FUNCTION_NAME set, and with
tracing on a sampled `_X_AMZN_TRACE_ID`, as Lambda starts a function. Without them the X-Ray SDK takes
itself for a long-running service and builds botocore X-Ray clients for its centralized sampler at
import, a cost no Lambda function pays (earlier figures, 1.5-2.1x, included it).

Bytecode: this machine sets PYTHONDONTWRITEBYTECODE=1, so the project's own modules are compiled
on every run (no .pyc), while site-packages have the .pyc that pip wrote at install. The header
says which mode was measured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "infra"))

from quorum_local import runtime
from quorum_local.gateway import event_for
from quorum_local.template import Template

GOAL = 1.3
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
ROOT = Path(__file__).resolve().parents[1]
BASE = "baseline (boto3 + 1 client)"

BASELINE = """
import time; t0 = time.perf_counter()
import boto3
boto3.client("dynamodb", region_name="us-east-1")
print(time.perf_counter() - t0)
"""

PROBE = """
import json, sys, time
t0 = time.perf_counter()
sys.path[:0] = {paths!r}
import importlib
module = importlib.import_module({module!r})
handler = getattr(module, {attr!r})
class Context:
    function_name = {name!r}; function_version = "1"; memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + {name!r}
    aws_request_id = "coldstart"
    def get_remaining_time_in_millis(self): return 10000
try:
    handler(json.loads({event!r}), Context())
except Exception as exc:  # workers answer an unknown action with a typed error
    sys.stderr.write(type(exc).__name__)
print(time.perf_counter() - t0)
"""


def trivial_event(props: dict) -> dict:
    if any(ev["Type"] == "HttpApi" for ev in props.get("Events", {}).values()):
        return event_for("GET", "/v1/coldstart")  # no such route: the resolver answers 404
    return {"action": "coldstart", "job": "coldstart"}


def run_once(code: str, env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--tracing", choices=["off", "on", "both"], default="both",
                        help="TracingMode PassThrough (off) and/or Active (on: Powertools Tracer and the X-Ray SDK)")
    parser.add_argument("--compare-tree", type=Path, help="another checkout to measure beside this one")
    args = parser.parse_args()
    modes = ["off", "on"] if args.tracing == "both" else [args.tracing]
    worst = {mode: measure(mode, args.runs, args.compare_tree) for mode in modes}
    print("\nworst function: " + ", ".join(f"tracing {mode} {ratio:.2f}x" for mode, ratio in worst.items()))
    return 0


def probes_of(root: Path, mode: str) -> tuple[dict[str, str], dict[str, str]]:
    """The probe program of every function of the checkout at `root`, and its functions' variables."""
    template = Template.load("local", path=root / "template.yaml", overrides={"TracingMode": mode})
    paths = list(dict.fromkeys(str(root / template.properties(lid)[key]) for kind, key in (
        ("AWS::Serverless::LayerVersion", "ContentUri"), ("AWS::Serverless::Function", "CodeUri"))
        for lid in template.of_type(kind)))
    probes = {}
    for lid in template.of_type("AWS::Serverless::Function"):
        props = template.properties(lid)
        module, attr = props["Handler"].rsplit(".", 1)
        probes[props["FunctionName"]] = PROBE.format(paths=paths, module=module, attr=attr, name=props["FunctionName"],
                                                     event=json.dumps(trivial_event(props)))
    return probes, runtime.function_environment(template)


def measure(tracing: str, runs: int, other: Path | None = None) -> float:
    """Print one table for one tracing mode; return the worst function's ratio (this tree)."""
    mode = "Active" if tracing == "on" else "PassThrough"
    probes, variables = probes_of(ROOT, mode)
    theirs, their_variables = probes_of(other, mode) if other else ({}, {})
    env = {**os.environ, **their_variables, **variables, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "LAMBDA_TASK_ROOT": str(ROOT), "AWS_LAMBDA_FUNCTION_NAME": "coldstart"}
    if tracing == "on":
        env["_X_AMZN_TRACE_ID"] = TRACE_HEADER  # Lambda's facade segment: the X-Ray SDK's subsegments hang on it
    env.pop("AWS_ENDPOINT_URL", None)
    samples: dict[str, list[float]] = {BASE: [], **{name: [] for name in probes}}
    other_samples: dict[str, list[float]] = {name: [] for name in theirs}
    bytecode = "without .pyc for project code" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "with .pyc"
    print(f"\ncold start, tracing {tracing} (TracingMode={mode}), {runs} runs each, median; {bytecode}; "
          f"python {sys.version.split()[0]}", flush=True)
    for i in range(runs):
        samples[BASE].append(run_once(BASELINE, env))
        for name, code in probes.items():
            samples[name].append(run_once(code, env))
            if name in theirs:
                other_samples[name].append(run_once(theirs[name], env))
        print(f"  run {i + 1}/{runs} done", file=sys.stderr, flush=True)
    return report(samples, other_samples, other)


def report(samples: dict[str, list[float]], other_samples: dict[str, list[float]], other: Path | None) -> float:
    base = statistics.median(samples[BASE])
    extra = f" {'compared ms':>12} {'ratio':>7} {'this/that':>9}" if other else ""
    print(f"{'function':34} {'median ms':>10} {'ratio':>7}  goal <= {GOAL}x" + ("   " + extra if other else ""))
    if other:
        print(f"  (compared tree: {other})")
    worst = 0.0
    for name, values in samples.items():
        mine = statistics.median(values)
        ratio = mine / base
        worst = max(worst, ratio) if name != BASE else worst
        flag = "" if name == BASE else ("ok  " if ratio <= GOAL else "OVER")
        line = f"{name:34} {mine * 1000:10.1f} {ratio:7.2f}  {flag}"
        if other_samples.get(name):
            theirs = statistics.median(other_samples[name])
            line += f"   {theirs * 1000:12.1f} {theirs / base:7.2f} {mine / theirs:9.2f}"
        print(line)
    return worst


if __name__ == "__main__":
    sys.exit(main())
