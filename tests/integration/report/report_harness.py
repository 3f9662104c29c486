"""Harness of the report capability's integration tests on moto: the real state machine, the
real report handlers, HTTP API events with JWT claims, SQS inboxes on the SNS topics, and fake
peer workers.

The reviewer and reward workers are other capabilities; these tests replace them by small
fakes behind moto's invoke path (`peers`), so they can choose the reviewer pool and check what
the state machine sent them.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from moto.awslambda.models import LambdaFunction

from quorum_local.gateway import event_for
from quorum_local.runtime import LocalContext

REVIEWER_WORKER = "quorum-local-reviewer-worker"
REWARD_WORKER = "quorum-local-reward-worker"
REPORT_TABLE = "quorum-local-report"
IDEMPOTENCY_TABLE = "quorum-local-idempotency"


# ---------------------------------------------------------------- fake peers
@dataclass
class FakeReviewerWorker:
    """Draws the first eligible reviewers of `pool`; records every call."""

    pool: list[str] = field(default_factory=list)
    calls: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)
    draw_gate: threading.Event = field(default_factory=threading.Event)  # cleared: draws wait for it

    def __post_init__(self) -> None:
        self.draw_gate.set()

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.calls[event["action"]].append(event)
        if event["action"] == "draw_panel":
            self.draw_gate.wait(10)
            excluded = set(event["exclude"])
            chosen = [r for r in self.pool if r not in excluded][:event["seats"]]
            return {"reviewer_ids": chosen, "short_by": event["seats"] - len(chosen)}
        if event["action"] == "reviewer_stats":
            return {"stats": {r: {"invited": 1, "voted": 0} for r in event["reviewer_ids"]}}
        if event["action"] == "release_seat":
            assert event["outcome"] in {"voted", "expired"}, event  # the reviewer service's contract
            return {"released": True}
        if event["action"] == "record_outcomes":
            assert set(event) == {"action", "case_id", "decision", "invited", "votes"}, event
            return {"agreed": 0}
        raise LookupError(f"unknown action {event['action']}")


@dataclass
class FakeRewardWorker:
    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        if event["action"] == "case_grants":  # what the grants above gave, 10 points a voter
            grants = [{"reviewer_id": v["reviewer_id"], "points": 10, "granted_at": c["decided_at"]}
                      for c in self.calls if c["case_id"] == event["case_id"] for v in c["votes"]]
            return {"case_id": event["case_id"], "grants": grants}
        self.calls.append(event)
        return {"granted": len(event["votes"])}


@dataclass
class Peers:
    reviewer: FakeReviewerWorker
    reward: FakeRewardWorker


def _fake_result(fake: Callable[[dict[str, Any]], dict[str, Any]], event: Any) -> tuple[str, bool, str]:
    payload = json.loads(event) if isinstance(event, (str, bytes)) and event else (event or {})
    try:
        return json.dumps(fake(payload)), False, ""
    except Exception as exc:  # noqa: BLE001 - the invoke's error result, as Lambda reports it
        return json.dumps({"errorMessage": str(exc), "errorType": type(exc).__name__}), True, ""


@pytest.fixture
def peers(stack: Any) -> Iterator[Peers]:
    """Fake reviewer and reward workers in front of the stack's in-process invoke path."""
    fakes = Peers(FakeReviewerWorker(), FakeRewardWorker())
    by_name = {REVIEWER_WORKER: fakes.reviewer, REWARD_WORKER: fakes.reward}
    installed = LambdaFunction._invoke_lambda

    def invoke(self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
        fake = by_name.get(self.function_name)
        return _fake_result(fake, event) if fake else installed(self, event)

    LambdaFunction._invoke_lambda = invoke
    yield fakes
    _stop_executions()
    LambdaFunction._invoke_lambda = installed


def _stop_executions() -> None:
    """Stop what still runs, so no execution thread outlives the test's moto."""
    sfn = boto3.client("stepfunctions")
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]

    def all_stopped() -> bool:
        running = sfn.list_executions(stateMachineArn=machine, statusFilter="RUNNING")["executions"]
        for listed in running:
            try:
                sfn.stop_execution(executionArn=listed["executionArn"])
            except AttributeError:  # moto: an execution whose worker has not started yet
                return False
        return True

    eventually(all_stopped, timeout=5)


# ---------------------------------------------------------------- HTTP
@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def code(self) -> str | None:
        return (self.body or {}).get("error", {}).get("code") if isinstance(self.body, dict) else None


class Api:
    """Calls an API handler with HTTP API (payload 2.0) events, as API Gateway would.

    `function` names the handler (the report API by default; the reviewer and reward APIs for
    tests that run with the real peers).
    """

    def __init__(self, function: str = "quorum-local-report-api",
                 handler_path: str = "quorum_report.handlers.api.handler"):
        self.function = function
        self.handler_path = handler_path

    def call(self, method: str, path: str, body: Any = None, *, sub: str | None, groups: Any = ("user",),
             headers: dict[str, str] | None = None, query: dict[str, str] | None = None,
             raw_body: str | None = None, speaks_for: str | None = None) -> Reply:
        from quorum_local.runtime import load_handler

        event = http_event(method, path, body, sub=sub, groups=groups, headers=headers, query=query, raw_body=raw_body,
                           speaks_for=speaks_for)
        context = LocalContext(function_name=self.function, function_version="1",
                               invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{self.function}:live",
                               memory_limit_in_mb=512, timeout_seconds=10)
        response = load_handler(self.handler_path)(event, context)
        text = response.get("body") or ""
        return Reply(response["statusCode"], json.loads(text) if text else None, response.get("headers") or {})

    def module(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
        """A module's call; its token speaks for `speaks_for` (None: no claim), by default for the module
        whose content the body reports (else listing)."""
        target = body.get("target") if isinstance(body, dict) else None
        own = target.get("module") if isinstance(target, dict) and isinstance(target.get("module"), str) else "listing"
        return self.call(method, path, body, sub=kwargs.pop("sub", "listing-svc"), groups=["module"],
                         speaks_for=kwargs.pop("speaks_for", own), **kwargs)

    def ops(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.call(method, path, body, sub="ops-1", groups="[ops]", **kwargs)

    def user(self, sub: str, method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.call(method, path, body, sub=sub, groups=["user"], **kwargs)

    # the product's calls, as a module, a reviewer and ops make them
    def report(self, reporter: str = "alice", target_id: str = "item-1", module: str = "listing",
               reason: str = "fraud", **extra: Any) -> Reply:
        body = {"reporter_id": reporter, "reason": reason,
                "target": {"module": module, "id": target_id, "owner_id": "owner-1",
                           "content": {"text": "brand new phone, pay by bank transfer to 13812345678",
                                       "image_urls": ["https://img.example.com/1.jpg"]}}, **extra}
        return self.module("POST", "/v1/reports", body, speaks_for=module)

    def put_policy(self, module: str = "listing", **rules: Any) -> Reply:
        return self.ops("PUT", f"/v1/policies/{module}", rules)

    def vote(self, reviewer: str, case_id: str, verdict: str = "violation", **extra: Any) -> Reply:
        return self.user(reviewer, "POST", f"/v1/cases/{case_id}/votes", {"verdict": verdict, **extra})

    def case(self, case_id: str) -> Reply:
        return self.ops("GET", f"/v1/cases/{case_id}")


def http_event(method: str, path: str, body: Any, *, sub: str | None, groups: Any, headers: dict[str, str] | None,
               query: dict[str, str] | None, raw_body: str | None, speaks_for: str | None = None) -> dict[str, Any]:
    """An HTTP API payload 2.0 event with the JWT authorizer's claims (`speaks_for`: the quorum_module claim)."""
    text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
    claims = {"sub": sub, "groups": groups, **({"quorum_module": speaks_for} if speaks_for else {})} if sub else None
    return event_for(method, path, body=text, claims=claims, headers=headers, query=query)


@pytest.fixture
def api(peers: Peers) -> Api:
    return Api()


# ---------------------------------------------------------------- topics and tables
class Inbox:
    """An SQS queue subscribed to a topic (optionally with a filter policy)."""

    def __init__(self, topic_arn: str, filter_policy: dict[str, Any] | None = None):
        self.sqs = boto3.client("sqs")
        name = f"inbox-{uuid.uuid4().hex[:8]}"
        self.url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes = {"FilterPolicy": json.dumps(filter_policy)} if filter_policy else {}
        boto3.client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes=attributes)
        self.received: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        """Everything delivered so far: {body, attributes} per message."""
        while True:
            batch = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10).get("Messages", [])
            if not batch:
                return self.received
            for message in batch:
                envelope = json.loads(message["Body"])
                attributes = {k: v["Value"] for k, v in envelope.get("MessageAttributes", {}).items()}
                self.received.append({"body": json.loads(envelope["Message"]), "attributes": attributes})
                self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 10.0) -> dict[str, Any]:
        found = eventually(lambda: next((m for m in self.drain() if predicate(m)), None), timeout)
        return found


def eventually(probe: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll `probe` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing within {timeout} s")
        time.sleep(interval)


@pytest.fixture
def decisions(stack: Any) -> Inbox:
    """`CaseDecided` for listings, as the listing module would subscribe."""
    return Inbox(os.environ["QUORUM_EVENTS_TOPIC_ARN"], {"module": ["listing"], "decision": ["violation", "no_violation"]})


@pytest.fixture
def invitations(stack: Any) -> Inbox:
    return Inbox(os.environ["QUORUM_INVITATIONS_TOPIC_ARN"])


@pytest.fixture
def alerts(stack: Any) -> Inbox:
    return Inbox(os.environ["QUORUM_ALERTS_TOPIC_ARN"])


def parked(timeout: float = 10.0) -> None:
    """Wait until every running execution waits on a callback (so nothing writes meanwhile)."""
    sfn = boto3.client("stepfunctions")
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]

    def all_parked() -> bool:
        for listed in sfn.list_executions(stateMachineArn=machine, statusFilter="RUNNING")["executions"]:
            events = sfn.get_execution_history(executionArn=listed["executionArn"], maxResults=1000)["events"]
            if not events or events[-1]["type"] != "TaskSubmitted":
                return False
        return True

    eventually(all_parked, timeout)


def scan_all() -> dict[str, list[dict[str, Any]]]:
    """Every item of the report and idempotency tables (what 'nothing stored' is checked against)."""
    ddb = boto3.client("dynamodb")
    return {table: sorted(json.dumps(item, sort_keys=True) for item in ddb.scan(TableName=table)["Items"])
            for table in (REPORT_TABLE, IDEMPOTENCY_TABLE)}


def seated(api: Api, case_id: str, count: int, round_: int = 1, timeout: float = 10.0) -> list[str]:
    """Wait until `count` reviewers hold seats of `round_`; return them."""
    def probe() -> list[str] | None:
        view = api.case(case_id).body
        ids = [s["reviewer_id"] for s in view["panel"] if s["round"] == round_]
        return ids if view["round"] == round_ and len(ids) >= count else None
    return eventually(probe, timeout)


def execution(case_id: str) -> dict[str, Any]:
    sfn = boto3.client("stepfunctions")
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    arn = machine.replace(":stateMachine:", ":execution:") + f":{case_id}"
    return sfn.describe_execution(executionArn=arn)


def finished(case_id: str, timeout: float = 10.0) -> dict[str, Any]:
    return eventually(lambda: (lambda e: e if e["status"] != "RUNNING" else None)(execution(case_id)), timeout)


def transitions(case_id: str) -> list[str]:
    """The states an execution entered, in order."""
    sfn = boto3.client("stepfunctions")
    events = sfn.get_execution_history(executionArn=execution(case_id)["executionArn"], maxResults=1000)["events"]
    names = []
    for event in events:
        if event["type"].endswith("StateEntered"):
            names.append(event["stateEnteredEventDetails"]["name"])
    return names
