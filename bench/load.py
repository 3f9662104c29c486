"""Load on the local cloud: reports at a fixed rate, and the votes that decide them, for a bounded time.

Starts `quorum-local run --no-seed` on free loopback ports, sets one module's policy (3 seats, 2 votes
to win), enrolls a reviewer pool, then runs three open-loop phases in the same run:

  1. baseline: GET /v1/health at --health-rate requests/s for --baseline-seconds (gateway + one function)
  2. baseline: the report flow at 0.5 reports/s for --baseline-seconds
  3. the load: the report flow at --rate reports/s for --seconds

A flow is what a module and its reviewers do: POST /v1/reports, GET /v1/cases/{case_id} until the 3
seats are drawn, 2 votes that decide (POST /v1/cases/{case_id}/votes), GET until the case is decided.
Open loop: each flow starts at its scheduled time whatever the earlier ones are doing. Every wait has a
deadline, so a run ends by itself. Per phase it prints requests/s sustained, p50/p95/p99 latency per
route, the 5xx count (goal 0), cases opened vs decided, and the local cloud's resident memory.

The local cloud is one process on moto: the figures describe the local cloud, not AWS.

    python bench/load.py [--rate 1] [--seconds 60] [--baseline-seconds 20] [--health-rate 10]
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "infra"))

from quorum_local.child import RUN, child_environment, wait_until_healthy
from quorum_local.cli import mint_local_token
from quorum_local.journeys import Journey
from quorum_local.server import free_port
from quorum_local.template import ROOT

SECRET = "load-bench-secret-for-the-local-gateway"
MODULE = "listing"
POOL = 40  # 3 seats a case, at most 20 a reviewer a day and 3 open at once: room for 260 cases
POLICY = {"panel_size": 3, "votes_to_win": 2, "min_votes": 2, "vote_window_seconds": 300, "substitute_rounds": 0}
FLOW_DEADLINE = 60.0
NOTE = "The local cloud is one process on moto: these figures describe the local cloud, not AWS."


def mint(sub: str, groups: list[str], *, module: str | None = None) -> str:
    """The one place this bench mints a token (a module token names its module: `quorum_module`)."""
    return mint_local_token(sub, groups, ttl=3600, secret=SECRET, module=module)


def schedule(rate: float, seconds: float) -> list[float]:
    """Start offsets (s) of an open loop at `rate` per second for `seconds`: 0, 1/rate, 2/rate, ..."""
    return [i / rate for i in range(math.floor(rate * seconds + 1e-9))]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Phase:
    """What one phase saw: latencies by route, status codes, cases."""

    name: str
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    opened: int = 0
    decided: int = 0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, route: str, method: str, url: str, **kwargs: Any) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = requests.request(method, url, timeout=30, **kwargs)
        except requests.RequestException as exc:
            self.note(f"{route}: {type(exc).__name__}")
            return None
        with self.lock:
            self.latencies[route].append(time.perf_counter() - started)
            self.statuses[response.status_code] += 1
        return response

    def note(self, failure: str) -> None:
        with self.lock:
            self.failures.append(failure)

    def count(self, opened: int = 0, decided: int = 0) -> None:
        with self.lock:
            self.opened += opened
            self.decided += decided


class Flow:
    """A report, the seats drawn for its case, and the two votes that decide it."""

    def __init__(self, journey: Journey, phase: Phase):
        self.j = journey
        self.phase = phase

    def run(self) -> None:
        case_id = self.report()
        if not case_id:
            return
        self.phase.count(opened=1)
        case = self.wait(case_id, lambda c: len([s for s in c["panel"] if s["round"] == 1]) >= 3, "seats")
        if not case:
            return
        for seat in case["panel"][:2]:
            voted = self.phase.call("POST /v1/cases/{case_id}/votes", "POST", self.j.url(f"/v1/cases/{case_id}/votes"),
                                    json={"verdict": "violation"}, headers=self.j.headers(seat["reviewer_id"], "user"))
            if voted is None or voted.status_code != 201:
                return self.phase.note(f"vote: {voted.status_code if voted is not None else 'no answer'}")
        if self.wait(case_id, lambda c: c["status"] == "decided", "decision"):
            self.phase.count(decided=1)

    def report(self) -> str | None:
        suffix = uuid.uuid4().hex[:10]
        body = {"reporter_id": f"reporter-{suffix}", "reason": "spam",
                "target": {"module": MODULE, "id": f"listing-{suffix}", "owner_id": "owner-1",
                           "content": {"text": "Cheap phones, call now"}}}
        response = self.phase.call("POST /v1/reports", "POST", self.j.url("/v1/reports"), json=body,
                                   headers=self.j.module_auth)
        if response is None or response.status_code != 202:
            self.phase.note(f"report: {response.status_code if response is not None else 'no answer'}")
            return None
        return str(response.json()["case_id"])

    def wait(self, case_id: str, ready: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any] | None:
        deadline = time.monotonic() + FLOW_DEADLINE
        while time.monotonic() < deadline:
            response = self.phase.call("GET /v1/cases/{case_id}", "GET", self.j.url(f"/v1/cases/{case_id}"),
                                       headers=self.j.ops)
            if response is not None and response.status_code == 200 and ready(case := response.json()):
                return case
            time.sleep(0.25)
        self.phase.note(f"{what} of {case_id}: deadline")
        return None


def guarded(phase: Phase, task: Callable[[], Any]) -> Callable[[], None]:
    """`task`, with any exception it raises noted in the phase (a thread pool would keep it silent)."""
    def run() -> None:
        try:
            task()
        except Exception as exc:  # noqa: BLE001 - a bench reports what failed and goes on
            phase.note(f"{type(exc).__name__}: {exc}")
    return run


def open_loop(offsets: list[float], task: Callable[[], None]) -> float:
    """Start `task` at each offset from now (a thread each, at most 64 at once); the wall time to the end."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for offset in offsets:
            time.sleep(max(0.0, started + offset - time.monotonic()))
            pool.submit(task)
    return time.monotonic() - started


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def print_phase(phase: Phase, wall: float, rss: tuple[float, float], cases: bool) -> None:
    total = sum(len(v) for v in phase.latencies.values())
    errors = sum(n for code, n in phase.statuses.items() if code >= 500)
    print(f"\n{phase.name}: {total} requests in {wall:.1f} s = {total / wall:.1f} req/s sustained; 5xx: {errors} (goal 0)")
    if cases:
        print(f"  cases opened {phase.opened}, decided {phase.decided}")
    print(f"  local cloud memory (RSS) {rss[0]:.0f} MiB at start, {rss[1]:.0f} MiB at end")
    print(f"  {'route':34} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for route, values in sorted(phase.latencies.items()):
        print(f"  {route:34} {len(values):6} " + " ".join(f"{percentile(values, q) * 1000:8.1f}" for q in (50, 95, 99)))
    for failure in phase.failures[:5]:
        print(f"  ! {failure}")


def start_cloud(log: Any) -> tuple[subprocess.Popen[bytes], str]:
    api_port, aws_port = free_port(), free_port()
    process = subprocess.Popen(RUN, cwd=ROOT, env=child_environment(api_port, aws_port, SECRET), stdout=log,
                               stderr=subprocess.STDOUT)
    api_url = f"http://127.0.0.1:{api_port}"
    try:
        wait_until_healthy(process, api_url)
    except (RuntimeError, TimeoutError):
        process.kill()
        raise
    return process, api_url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=1.0, help="reports per second in the load phase")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load phase")
    parser.add_argument("--baseline-seconds", type=float, default=20.0, help="length of each baseline phase")
    parser.add_argument("--health-rate", type=float, default=10.0, help="GET /v1/health per second (baseline)")
    args = parser.parse_args()
    with tempfile.TemporaryFile() as log:
        process, api_url = start_cloud(log)
        try:
            journey = Journey(api_url, mint, MODULE, tag=f"load-{uuid.uuid4().hex[:6]}")
            journey.set_policy(**POLICY)
            journey.enroll_pool(POOL)
            print(f"load on the local cloud at {api_url} (one process, moto); pool {POOL}, policy {POLICY}")
            health = Phase(f"baseline GET /v1/health at {args.health_rate:g}/s for {args.baseline_seconds:g} s")
            phases: list[tuple[Phase, list[float], Callable[[Phase], Callable[[], Any]], bool]] = [
                (health, schedule(args.health_rate, args.baseline_seconds),
                 lambda p: lambda: p.call("GET /v1/health", "GET", f"{api_url}/v1/health"), False),
                (Phase(f"baseline flow at 0.5 reports/s for {args.baseline_seconds:g} s"), schedule(0.5, args.baseline_seconds),
                 lambda p: Flow(journey, p).run, True),
                (Phase(f"load: flow at {args.rate:g} reports/s for {args.seconds:g} s"), schedule(args.rate, args.seconds),
                 lambda p: Flow(journey, p).run, True),
            ]
            first = rss_mib(process.pid)
            for phase, offsets, task, cases in phases:
                before = rss_mib(process.pid)
                wall = open_loop(offsets, guarded(phase, task(phase)))
                print_phase(phase, wall, (before, rss_mib(process.pid)), cases)
            print(f"\nlocal cloud memory (RSS): {first:.0f} MiB before the first phase, {rss_mib(process.pid):.0f} MiB after the last")
            print(NOTE)
            if process.poll() is not None:
                log.seek(0)
                print(f"\n! the local cloud exited ({process.returncode}) during the run; its last lines:\n"
                      + "\n".join(log.read().decode(errors="replace").splitlines()[-40:]))
                return 1
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
