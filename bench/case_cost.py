"""Cost of one case: state transitions, Lambda invocations and DynamoDB requests, and verdict latency.

Runs the whole platform in this process (the same LocalCloud as `make run`) and plays, at a 2 s
and at a 20 s vote window, a case decided in round 1 (2 of 3 votes) and a case with one
substitute round. The bench watches invitations and verdicts the way a push provider and a
module do (SQS queues subscribed to the SNS topics), so its own observing costs nothing.

Baseline, measured in the same run: a polling wait (Wait 1 s -> GetItem of the case -> Choice)
started beside each case and stopped by the case's decision, i.e. what the waiting part alone
costs when a design polls instead of using the callback token.

    python bench/case_cost.py [--windows 2 20]

Goals: <= 12 transitions for a round-1 decision, the same counts at both windows, and the
CaseDecided message within 1 s (median) of the deciding vote's response.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from quorum_common import aws

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "infra"))

from moto.awslambda.models import LambdaFunction

from quorum_local.cli import mint_local_token
from quorum_local.journeys import DecisionInbox, Journey, TopicQueue, poll
from quorum_local.server import LocalCloud, Settings, free_port

REPORT_TABLE = "quorum-local-report"
POLLING_BASELINE = {
    "Comment": "Baseline only (not part of Quorum): wait for a decision by polling the case every second.",
    "StartAt": "Wait",
    "States": {
        "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Check"},
        "Check": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                  "Parameters": {"TableName": REPORT_TABLE, "Key": {"pk": {"S.$": "$.pk"}, "sk": {"S": "CASE"}}},
                  "ResultSelector": {"status.$": "$.Item.status.S"}, "ResultPath": "$.case", "Next": "Decided"},
        "Decided": {"Type": "Choice", "Choices": [{"Variable": "$.case.status", "StringEquals": "decided",
                                                    "Next": "Done"}], "Default": "Wait"},
        "Done": {"Type": "Succeed"},
    },
}


class Meter:
    """Counts Lambda invocations per function and DynamoDB requests per calling function."""

    def __init__(self) -> None:
        self.invocations: Counter[str] = Counter()
        self.dynamodb: Counter[str] = Counter()
        self._current = threading.local()
        self._lock = threading.Lock()

    def install(self) -> None:
        meter, invoke = self, LambdaFunction._invoke_lambda

        def counted_invoke(self: LambdaFunction, event: str | None = None) -> tuple[str, bool, str]:
            with meter._lock:
                meter.invocations[self.function_name] += 1
            meter._current.name = self.function_name
            try:
                return invoke(self, event)
            finally:
                meter._current.name = None

        LambdaFunction._invoke_lambda = counted_invoke  # type: ignore[method-assign]
        boto3.setup_default_session()
        boto3.DEFAULT_SESSION.events.register("before-call.dynamodb", self._count_dynamodb)
        # The functions' clients come from quorum_common.aws (its own sessions): count on each one it builds.
        build = aws._build

        def counted_build(session: Any, service: str, endpoint: str | None) -> Any:
            built = build(session, service, endpoint)
            if service == "dynamodb":
                built.meta.events.register("before-call.dynamodb", meter._count_dynamodb)
            return built

        aws._build = counted_build
        aws.forget_clients()

    def _count_dynamodb(self, **_: Any) -> None:
        with self._lock:
            self.dynamodb[getattr(self._current, "name", None) or "other"] += 1

    def snapshot(self) -> tuple[Counter[str], Counter[str]]:
        with self._lock:
            return Counter(self.invocations), Counter(self.dynamodb)


class InvitationWatch(TopicQueue):
    """The push provider's view: every invitation the invitations topic sends."""

    def __init__(self, aws_url: str):
        super().__init__(aws_url, "invitations")

    def invited(self, case_id: str, count: int, deadline_s: float = 90) -> list[str]:
        def enough() -> list[str] | None:
            mine = [m["reviewer_id"] for m in self.drain() if m["case_id"] == case_id]
            return mine if len(mine) >= count else None
        return poll(enough, deadline_s=deadline_s, what=f"{count} invitations for {case_id}")


@dataclass
class Result:
    scenario: str
    window: int
    transitions: int
    baseline_transitions: int
    invocations: Counter[str]
    dynamodb: int
    baseline_dynamodb: int
    verdict_latency_s: float


class Bench:
    def __init__(self, cloud: LocalCloud, meter: Meter):
        self.cloud, self.meter = cloud, meter
        self.sfn = cloud.client("stepfunctions")
        self.voting_arn = next(m["stateMachineArn"] for m in self.sfn.list_state_machines()["stateMachines"]
                               if m["name"] == "quorum-local-voting")
        role = "arn:aws:iam::123456789012:role/quorum-local-execution"
        self.baseline_arn = self.sfn.create_state_machine(name="bench-polling-baseline", roleArn=role,
                                                          definition=json.dumps(POLLING_BASELINE))["stateMachineArn"]
        self.invitations = InvitationWatch(cloud.settings.aws_url)

    def transitions(self, execution_arn: str) -> int:
        pages = self.sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn)
        return sum(1 for page in pages for e in page["events"] if e["type"].endswith("StateEntered"))

    def finished(self, execution_arn: str) -> str:
        return poll(lambda: (s := self.sfn.describe_execution(executionArn=execution_arn)["status"]) != "RUNNING" and s,
                    deadline_s=120, what="the execution to finish")

    def play(self, scenario: str, window: int) -> Result:
        module = "comment" if scenario == "round-1 decision" else "post"
        journey = Journey(self.cloud.settings.api_url, mint_local_token, module)
        journey.set_policy(panel_size=3, votes_to_win=2, vote_window_seconds=window, substitute_rounds=1, min_votes=2)
        journey.enroll_pool(6)
        inbox = DecisionInbox(self.cloud.settings.aws_url, module)
        before_inv, before_ddb = self.meter.snapshot()
        report = journey.report(f"bench-{uuid.uuid4().hex[:8]}", "bench-reporter", reason="spam")
        case_id = report["case_id"]
        baseline = self.sfn.start_execution(stateMachineArn=self.baseline_arn, name=f"poll-{case_id}",
                                            input=json.dumps({"pk": f"CASE#{case_id}"}))["executionArn"]
        first = self.invitations.invited(case_id, 3)
        if scenario == "round-1 decision":
            journey.vote(case_id, first[0], "violation")
            deciding = first[1]
        else:
            journey.vote(case_id, first[0], "violation")
            everyone = self.invitations.invited(case_id, 5, deadline_s=window + 60)
            deciding = next(r for r in everyone if r not in first)
        response = journey.vote(case_id, deciding, "violation")
        answered = time.monotonic()
        assert response.status_code == 201, response.text
        inbox.wait_for(case_id, deadline_s=30)
        latency = time.monotonic() - answered
        execution = f"{self.voting_arn.replace(':stateMachine:', ':execution:')}:{case_id}"
        assert self.finished(execution) == "SUCCEEDED"
        self.finished(baseline)
        after_inv, after_ddb = self.meter.snapshot()
        ddb = after_ddb - before_ddb
        baseline_reads = ddb.pop("other", 0)  # the polling baseline's GetItems come from no Quorum function
        return Result(scenario, window, self.transitions(execution), self.transitions(baseline),
                      after_inv - before_inv, sum(ddb.values()), baseline_reads, latency)


def short(name: str) -> str:
    return name.removeprefix("quorum-local-")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--windows", type=int, nargs="+", default=[2, 20])
    parser.add_argument("--repeat", type=int, default=3, help="round-1 cases per window (latency median)")
    args = parser.parse_args()
    cloud = LocalCloud(Settings(api_port=free_port(), aws_port=free_port()), progress=lambda _m: None)
    print("starting the local cloud in this process ...", flush=True)
    cloud.start()
    meter = Meter()
    meter.install()
    bench = Bench(cloud, meter)
    results: list[Result] = []
    try:
        for window in args.windows:
            for scenario, times in (("round-1 decision", args.repeat), ("one substitute round", 1)):
                for _ in range(times):
                    print(f"  {scenario} at a {window} s window ...", flush=True)
                    results.append(bench.play(scenario, window))
    finally:
        cloud.stop()
    print("\nper case; 'polling' = the baseline's transitions and reads for the waiting part alone")
    print(f"{'scenario':22} {'window':>6} {'transitions':>11} {'polling':>7} {'lambda':>6} "
          f"{'dynamodb':>8} {'polling':>7} {'verdict s':>9}  invocations by function")
    for r in results:
        by_fn = ", ".join(f"{short(k)} {v}" for k, v in sorted(r.invocations.items()))
        print(f"{r.scenario:22} {r.window:6} {r.transitions:11} {r.baseline_transitions:7} "
              f"{sum(r.invocations.values()):6} {r.dynamodb:8} {r.baseline_dynamodb:7} {r.verdict_latency_s:9.3f}  {by_fn}")
    round1 = [r for r in results if r.scenario == "round-1 decision"]
    latencies = [r.verdict_latency_s for r in results]
    print(f"\nround-1 transitions: {sorted({r.transitions for r in round1})} (goal <= 12, same at every window)")
    for scenario in ("round-1 decision", "one substitute round"):
        counts = {(r.transitions, sum(r.invocations.values()), r.dynamodb) for r in results if r.scenario == scenario}
        print(f"{scenario}: (transitions, invocations, dynamodb) across windows: {sorted(counts)}")
    print(f"verdict latency after the deciding vote: median {statistics.median(latencies):.3f} s "
          f"(goal <= 1 s) over {len(latencies)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
