"""Report intake on moto: aggregation, recent decisions, Idempotency-Key, the daily cap."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from report_harness import Api, Inbox, Peers, finished, parked, scan_all, seated

from quorum_report.service.reports import IntakeLimits


def _executions() -> list[str]:
    sfn = boto3.client("stepfunctions")
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    return [e["name"] for e in sfn.list_executions(stateMachineArn=machine)["executions"]]


def test_three_reports_on_one_target_make_one_case_and_one_vote(api: Api, peers: Peers, decisions: Inbox) -> None:
    peers.reviewer.pool = ["rev-1", "rev-2", "rev-3", "carol"]
    api.put_policy(panel_size=1, votes_to_win=1, vote_window_seconds=600)
    replies = [api.report(reporter=r, reason=reason)
               for r, reason in (("alice", "fraud"), ("carol", "counterfeit"), ("dave", "prohibited_item"))]
    assert [r.status for r in replies] == [202, 202, 202]
    assert [r.body["aggregated"] for r in replies] == [False, True, True]
    case_id = replies[0].body["case_id"]
    assert {r.body["case_id"] for r in replies} == {case_id}
    assert _executions() == [case_id]
    view = api.case(case_id).body
    assert view["report_count"] == 3 and view["reporters"] == ["alice", "carol", "dave"]

    # one vote decides for every reporter, and a later report gets the decision without a new vote
    [reviewer] = seated(api, case_id, 1)
    assert reviewer != "carol"  # a reporter never judges the case
    api.vote(reviewer, case_id, "no_violation")
    decisions.wait_for(lambda m: m["body"]["case_id"] == case_id)
    finished(case_id)
    for reply in replies:
        report = api.module("GET", f"/v1/reports/{reply.body['report_id']}").body
        assert (report["status"], report["decision"]) == ("decided", "no_violation")
    late = api.report(reporter="erin")
    assert late.status == 202
    assert (late.body["case_id"], late.body["status"], late.body["decision"]) == (case_id, "decided", "no_violation")
    assert _executions() == [case_id]


def test_two_first_reports_at_the_same_moment_open_exactly_one_case(api: Api, peers: Peers) -> None:
    api.put_policy(panel_size=1, votes_to_win=1, vote_window_seconds=600)
    replies: list = []
    barrier = threading.Barrier(6)

    def report(reporter: str) -> None:
        barrier.wait()
        replies.append(api.report(reporter=reporter, target_id="item-race"))

    threads = [threading.Thread(target=report, args=(f"reporter-{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status for r in replies) == [202] * 6
    assert len({r.body["case_id"] for r in replies}) == 1
    assert sorted(r.body["aggregated"] for r in replies) == [False] + [True] * 5
    assert len(_executions()) == 1
    assert api.case(replies[0].body["case_id"]).body["report_count"] == 6


def test_an_idempotency_key_replays_the_same_answer_and_stores_nothing_new(api: Api, peers: Peers) -> None:
    body = {"reporter_id": "alice", "reason": "spam",
            "target": {"module": "post", "id": "post-1", "owner_id": "owner-1", "content": {"text": "buy now"}}}
    first = api.module("POST", "/v1/reports", body, headers={"Idempotency-Key": "k-1"})
    assert first.status == 202
    parked()
    stored = scan_all()
    again = api.module("POST", "/v1/reports", body, headers={"Idempotency-Key": "k-1"})
    assert (again.status, again.body) == (202, first.body)
    assert scan_all() == stored
    other = api.module("POST", "/v1/reports", {**body, "reason": "abuse"}, headers={"Idempotency-Key": "k-1"})
    assert (other.status, other.code) == (422, "idempotency_key_reused")
    assert scan_all() == stored
    # another module may use the same key for its own request
    mine = api.module("POST", "/v1/reports", body, headers={"Idempotency-Key": "k-1"}, sub="forum-svc")
    assert mine.status == 202 and mine.body["report_id"] != first.body["report_id"]


def test_the_daily_cap_answers_429_with_retry_after_and_stores_nothing(api: Api, peers: Peers,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from quorum_report.handlers.wiring import api_deps  # imported under the stack's environment (metrics namespace)

    monkeypatch.setattr(api_deps(), "limits", IntakeLimits(daily_cap=2))
    assert [api.report(target_id=f"item-{i}").status for i in range(2)] == [202, 202]
    parked()
    stored = scan_all()
    refused = api.report(target_id="item-3")
    assert (refused.status, refused.code) == (429, "daily_cap_reached")
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    assert abs(int(refused.headers["Retry-After"]) - (midnight - now).total_seconds()) <= 5
    assert scan_all() == stored
    assert api.report(reporter="carol", target_id="item-3").status == 202  # the cap is per reporter
