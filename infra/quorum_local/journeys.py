"""What a module, a reviewer and ops do over HTTP, as steps: used by the demo and the end-to-end tests.

Every wait is a poll with a deadline. A `Journey` owns one module's policy and a reviewer pool
carrying its own tag, so panels are drawn only from its users even on a shared local cloud.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

import boto3
import requests

T = TypeVar("T")
TIMEOUT = 10


class Mint(Protocol):
    """Mints a local token; a module token names the module it speaks for (`quorum_module`)."""

    def __call__(self, sub: str, groups: list[str], *, module: str | None = None) -> str: ...



def poll(check: Callable[[], T | None], *, deadline_s: float = 60, what: str = "condition") -> T:
    """Call `check` until it returns something truthy, or fail after `deadline_s`."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _ok(response: requests.Response, *statuses: int) -> Any:
    if response.status_code not in (statuses or (200,)):
        raise AssertionError(f"{response.request.method} {response.url}: {response.status_code} {response.text}")
    return response.json()


class Journey:
    """One module's world on a running local cloud: its policy, its reviewer pool, its cases."""

    def __init__(self, api_url: str, mint: Mint, module: str, tag: str | None = None):
        self.api_url = api_url
        self.mint = mint
        self.module = module
        self.tag = tag or f"e2e-{module}-{uuid.uuid4().hex[:6]}"
        self.ops = self.headers("ops-journey", "ops")
        self.module_auth = self.headers(f"{module}-module", "module")

    def headers(self, sub: str, *groups: str) -> dict[str, str]:
        speaks_for = self.module if "module" in groups else None
        return {"Authorization": f"Bearer {self.mint(sub, list(groups), module=speaks_for)}"}

    def url(self, path: str) -> str:
        return f"{self.api_url}{path}"

    def set_policy(self, **policy: Any) -> dict[str, Any]:
        body = {"reviewer_tags": [self.tag], **policy}
        return _ok(requests.put(self.url(f"/v1/policies/{self.module}"), json=body, headers=self.ops, timeout=TIMEOUT))

    def enroll_pool(self, size: int) -> list[str]:
        now = datetime.now(UTC)
        users = [f"{self.tag}-u{i}" for i in range(size)]
        for user in users:
            profile: dict[str, Any] = {"tags": [self.tag], "last_active_at": (now - timedelta(hours=1)).isoformat(),
                       "registered_at": (now - timedelta(days=400)).isoformat(), "credit_score": 800}
            _ok(requests.put(self.url(f"/v1/users/{user}/profile"), json=profile, headers=self.module_auth,
                             timeout=TIMEOUT))
        _ok(requests.post(self.url("/v1/reviewers/enrollments"), json={}, headers=self.ops, timeout=60))
        return users

    def report(self, target_id: str, reporter: str, reason: str = "spam", owner: str = "owner-1",
               text: str = "Cheap phones, call 13800138000 or mail deals@example.com") -> dict[str, Any]:
        target = {"module": self.module, "id": target_id, "owner_id": owner, "content": {"text": text}}
        body: dict[str, Any] = {"reporter_id": reporter, "reason": reason, "target": target}
        return _ok(requests.post(self.url("/v1/reports"), json=body, headers=self.module_auth, timeout=TIMEOUT), 202)

    def case(self, case_id: str) -> dict[str, Any]:
        return _ok(requests.get(self.url(f"/v1/cases/{case_id}"), headers=self.ops, timeout=TIMEOUT))

    def seats(self, case_id: str, round_no: int, count: int, deadline_s: float = 60) -> list[str]:
        """The reviewers of round `round_no`, once `count` of them are invited."""
        def ready() -> list[str] | None:
            panel = [s for s in self.case(case_id)["panel"] if s["round"] == round_no]
            return [s["reviewer_id"] for s in panel] if len(panel) >= count else None
        return poll(ready, deadline_s=deadline_s, what=f"{count} seats in round {round_no} of {case_id}")

    def vote(self, case_id: str, reviewer: str, verdict: str) -> requests.Response:
        return requests.post(self.url(f"/v1/cases/{case_id}/votes"), json={"verdict": verdict},
                             headers=self.headers(reviewer, "user"), timeout=TIMEOUT)

    def resolve(self, case_id: str, decision: str, note: str = "") -> dict[str, Any]:
        return _ok(requests.post(self.url(f"/v1/cases/{case_id}/resolution"), headers=self.ops,
                                 json={"decision": decision, "note": note or "decided by ops"}, timeout=TIMEOUT))

    def wait_for_status(self, case_id: str, status: str, deadline_s: float = 60) -> dict[str, Any]:
        return poll(lambda: (c := self.case(case_id))["status"] == status and c, deadline_s=deadline_s,
                    what=f"{case_id} to be {status}")

    def report_view(self, report_id: str) -> dict[str, Any]:
        return _ok(requests.get(self.url(f"/v1/reports/{report_id}"), headers=self.module_auth, timeout=TIMEOUT))

    def rewards(self, user: str) -> dict[str, Any]:
        return _ok(requests.get(self.url("/v1/rewards/me"), headers=self.headers(user, "user"), timeout=TIMEOUT))


class TopicQueue:
    """An SQS queue subscribed to one of the stack's SNS topics (raw delivery), as a subscriber would."""

    def __init__(self, aws_url: str, topic_suffix: str, filter_policy: dict[str, Any] | None = None):
        kwargs = {"endpoint_url": aws_url, "region_name": "us-east-1", "aws_access_key_id": "local",
                  "aws_secret_access_key": "local"}
        self.sqs = boto3.client("sqs", **kwargs)
        sns = boto3.client("sns", **kwargs)
        topic = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(topic_suffix))
        self.url = self.sqs.create_queue(QueueName=f"{topic_suffix}-{uuid.uuid4().hex[:8]}")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        attributes = {"RawMessageDelivery": "true"}
        if filter_policy:
            attributes["FilterPolicy"] = json.dumps(filter_policy)
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True, Attributes=attributes)
        self.received: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        """Every message received so far (this call adds what the queue holds now)."""
        messages = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        for message in messages.get("Messages", []):
            self.received.append(json.loads(message["Body"]))
            self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        return self.received


class DecisionInbox(TopicQueue):
    """CaseDecided messages of one module, filtered as that module would subscribe."""

    def __init__(self, aws_url: str, module: str):
        super().__init__(aws_url, "case-events", {"module": [module]})

    def wait_for(self, case_id: str, deadline_s: float = 60) -> dict[str, Any]:
        return poll(lambda: next((m for m in self.drain() if m["case_id"] == case_id), None), deadline_s=deadline_s,
                    what=f"CaseDecided for {case_id}")
