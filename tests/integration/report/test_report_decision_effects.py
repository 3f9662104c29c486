"""After the decision, on moto: every effect is retried until done, and each happens once."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from report_harness import Api, FakeRewardWorker, Inbox, Peers, eventually, execution, finished, seated

from quorum_common import aws
from quorum_report.adapters.notifications import SnsNotifier


def _sweep() -> dict[str, Any]:
    reply = boto3.client("lambda").invoke(FunctionName="quorum-local-report-worker:live", Payload=json.dumps(
        {"action": "sweep_stuck_cases", "stale_after_seconds": 0}).encode())
    assert "FunctionError" not in reply, reply["Payload"].read()
    return json.loads(reply["Payload"].read())


class FlakyTopic:
    """SNS, except that the first `refusals` publishes of CaseDecided fail as SNS can (a ClientError)."""

    def __init__(self, refusals: int):
        self.refusals, self.sns = refusals, aws.client("sns")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sns, name)

    def publish(self, **kwargs: Any) -> Any:
        if kwargs["TopicArn"].endswith("case-events") and self.refusals:
            self.refusals -= 1
            raise ClientError({"Error": {"Code": "InternalError", "Message": "SNS is having a moment"}}, "Publish")
        return self.sns.publish(**kwargs)


def _decided_case(api: Api, peers: Peers) -> str:
    peers.reviewer.pool = ["rev-1", "rev-2", "rev-3"]
    api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=600)
    case_id = api.report().body["case_id"]
    panel = seated(api, case_id, 3)
    assert [api.vote(r, case_id, "violation").status for r in panel[:2]] == [201, 201]
    return case_id


def _effects_once(api: Api, peers: Peers, decisions: Inbox, case_id: str) -> None:
    """One CaseDecided, one grant, the stats recorded (a repeat carries the same outcomes, which the reviewer
    service's guards count once), and the case marked complete."""
    assert eventually(lambda: "effects_completed" in [e["event"] for e in api.case(case_id).body["timeline"]])
    assert [m["body"]["case_id"] for m in decisions.drain()].count(case_id) == 1
    assert [c["case_id"] for c in peers.reward.calls].count(case_id) == 1
    recorded = [json.dumps(c, sort_keys=True) for c in peers.reviewer.calls["record_outcomes"] if c["case_id"] == case_id]
    assert len(set(recorded)) == 1
    assert [e["event"] for e in api.case(case_id).body["timeline"]].count("effects_completed") == 1


def test_a_refused_case_decided_after_the_case_closed_is_retried_and_sent_once(
        api: Api, peers: Peers, decisions: Inbox, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given SNS refuses the first CaseDecided publish, after Decide has closed the case
    topic = FlakyTopic(refusals=1)
    monkeypatch.setattr(SnsNotifier, "client", property(lambda self: topic))
    # When the case is decided by votes
    case_id = _decided_case(api, peers)
    # Then the execution succeeds (no escalation), and every effect happened exactly once
    assert finished(case_id, timeout=30)["status"] == "SUCCEEDED"
    assert topic.refusals == 0 and api.case(case_id).body["status"] == "decided"
    _effects_once(api, peers, decisions, case_id)
    assert _sweep()["redriven"] == []


def test_a_run_that_ends_with_effects_missing_is_redriven_by_the_sweep(
        api: Api, peers: Peers, decisions: Inbox, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a reward service that fails its first grant with an error no retry helps
    original, failures = FakeRewardWorker.__call__, [1]

    def failing_once(self: FakeRewardWorker, event: dict[str, Any]) -> dict[str, Any]:
        if event["action"] == "grant_rewards" and failures:
            failures.pop()
            raise LookupError("the ledger is unavailable")
        return original(self, event)

    monkeypatch.setattr(FakeRewardWorker, "__call__", failing_once)
    case_id = _decided_case(api, peers)
    run = finished(case_id, timeout=30)
    assert run["status"] == "FAILED" and api.case(case_id).body["status"] == "decided"
    # When the sweep runs, Then it redrives the decided case once
    swept = _sweep()
    assert swept["redriven"] == [case_id] and swept["restarted"] == []
    sfn = boto3.client("stepfunctions")
    again = execution(case_id)["executionArn"] + "-r1"
    assert eventually(lambda: sfn.describe_execution(executionArn=again)["status"] == "SUCCEEDED", timeout=30)
    # And the effects are complete, each once: CaseDecided is not sent again
    _effects_once(api, peers, decisions, case_id)
    assert _sweep()["redriven"] == []
