"""The voting lifecycle over HTTP on the local cloud, with second-scale windows.

Each test owns a module's policy and a reviewer pool carrying its own tag, so panels are drawn
only from that test's users. Every outcome is checked through the API and through the
CaseDecided message that a module's filtered SQS subscription receives.
"""

from __future__ import annotations

import uuid

import pytest
import requests
from e2e_cloud import LocalCloudProcess

from quorum_local.journeys import DecisionInbox, Journey, poll


@pytest.fixture
def journey_for(local_cloud: LocalCloudProcess):
    return lambda module: Journey(local_cloud.api_url, local_cloud.mint, module)


def test_early_decision_three_nil_on_a_five_seat_panel(local_cloud: LocalCloudProcess, journey_for) -> None:
    # Given a listing policy of 5 seats, 3 to win, and a long window
    journey = journey_for("listing")
    journey.set_policy(panel_size=5, votes_to_win=3, vote_window_seconds=300, substitute_rounds=0, min_votes=3)
    journey.enroll_pool(7)
    inbox = DecisionInbox(local_cloud.aws_url, "listing")
    report = journey.report(f"listing-{uuid.uuid4().hex[:8]}", "buyer-1", reason="counterfeit")
    panel = journey.seats(report["case_id"], 1, 5)
    # When three reviewers vote violation
    responses = [journey.vote(report["case_id"], reviewer, "violation") for reviewer in panel[:3]]
    # Then the case is decided at once, without waiting for the 300 s window
    assert [r.status_code for r in responses] == [201, 201, 201]
    message = inbox.wait_for(report["case_id"], deadline_s=15)
    assert message["decision"] == "violation" and message["module"] == "listing"
    assert (message["votes_for_violation"], message["votes_for_no_violation"]) == (3, 0)
    assert journey.report_view(report["report_id"])["status"] == "decided"
    late = journey.vote(report["case_id"], panel[3], "no_violation")
    assert (late.status_code, late.json()["error"]["code"]) == (409, "case_closed")
    # And the voters see their points, and can spend them
    voter = journey.headers(panel[0], "user")
    rewards = poll(lambda: (r := requests.get(journey.url("/v1/rewards/me"), headers=voter, timeout=10).json())
                   ["balance"] > 0 and r, what="points for the voter")
    item_id = f"sticker-{uuid.uuid4().hex[:6]}"
    put = requests.put(journey.url(f"/v1/mall/items/{item_id}"), headers=journey.ops, timeout=10,
                       json={"name": "Juror sticker", "cost_points": rewards["balance"], "stock": 1})
    assert put.status_code == 200, put.text
    redeemed = requests.post(journey.url("/v1/mall/redemptions"), json={"item_id": item_id, "quantity": 1},
                             headers={**voter, "Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    assert redeemed.status_code == 201, redeemed.text
    assert requests.get(journey.url("/v1/rewards/me"), headers=voter, timeout=10).json()["balance"] == 0


def test_split_two_one_on_a_three_seat_panel(local_cloud: LocalCloudProcess, journey_for) -> None:
    journey = journey_for("comment")
    journey.set_policy(panel_size=3, votes_to_win=2, vote_window_seconds=300, substitute_rounds=0, min_votes=2)
    journey.enroll_pool(4)
    inbox = DecisionInbox(local_cloud.aws_url, "comment")
    report = journey.report(f"comment-{uuid.uuid4().hex[:8]}", "reader-1", reason="abuse")
    panel = journey.seats(report["case_id"], 1, 3)
    for reviewer, verdict in zip(panel, ["no_violation", "violation", "no_violation"], strict=True):
        assert journey.vote(report["case_id"], reviewer, verdict).status_code == 201
    message = inbox.wait_for(report["case_id"], deadline_s=15)
    assert message["decision"] == "no_violation"
    assert (message["votes_for_violation"], message["votes_for_no_violation"]) == (1, 2)
    assert journey.report_view(report["report_id"])["decision"] == "no_violation"


def test_no_shows_are_replaced_by_substitutes_who_decide(local_cloud: LocalCloudProcess, journey_for) -> None:
    # Given a 3-seat post policy with a 2 s window and one substitute round
    journey = journey_for("post")
    journey.set_policy(panel_size=3, votes_to_win=2, vote_window_seconds=2, substitute_rounds=1, min_votes=2)
    journey.enroll_pool(6)
    inbox = DecisionInbox(local_cloud.aws_url, "post")
    report = journey.report(f"post-{uuid.uuid4().hex[:8]}", "reader-2", reason="spam")
    first = journey.seats(report["case_id"], 1, 3)
    # When only one reviewer answers in round 1
    assert journey.vote(report["case_id"], first[0], "violation").status_code == 201
    # Then two substitutes, never invited before, are drawn for the missing seats only
    substitutes = journey.seats(report["case_id"], 2, 2)
    assert len(substitutes) == 2 and not set(substitutes) & set(first)
    late = journey.vote(report["case_id"], first[1], "violation")
    assert late.status_code == 403, late.text  # an expired seat no longer votes
    assert journey.vote(report["case_id"], substitutes[0], "violation").status_code == 201
    message = inbox.wait_for(report["case_id"], deadline_s=15)
    assert message["decision"] == "violation"
    assert (message["votes_for_violation"], message["votes_for_no_violation"]) == (2, 0)


def test_escalated_case_is_resolved_by_ops(local_cloud: LocalCloudProcess, journey_for) -> None:
    journey = journey_for("review")
    journey.set_policy(panel_size=3, votes_to_win=2, vote_window_seconds=1, substitute_rounds=0, min_votes=2)
    journey.enroll_pool(3)
    inbox = DecisionInbox(local_cloud.aws_url, "review")
    report = journey.report(f"review-{uuid.uuid4().hex[:8]}", "buyer-3", reason="fake_review")
    journey.seats(report["case_id"], 1, 3)
    journey.wait_for_status(report["case_id"], "escalated", deadline_s=30)
    listed = requests.get(journey.url("/v1/cases?status=escalated"), headers=journey.ops, timeout=10).json()
    assert report["case_id"] in [c["case_id"] for c in listed["cases"]]
    resolved = requests.post(journey.url(f"/v1/cases/{report['case_id']}/resolution"), headers=journey.ops,
                             json={"decision": "no_violation", "note": "reviewed by ops"}, timeout=10)
    assert resolved.status_code == 200, resolved.text
    message = inbox.wait_for(report["case_id"], deadline_s=15)
    assert message["decision"] == "no_violation"
    assert journey.report_view(report["report_id"])["status"] == "decided"


def test_three_reports_on_one_target_make_one_case(local_cloud: LocalCloudProcess, journey_for) -> None:
    journey = journey_for("chat")
    journey.set_policy(panel_size=3, votes_to_win=2, vote_window_seconds=300, substitute_rounds=0, min_votes=2)
    journey.enroll_pool(3)
    target = f"chat-{uuid.uuid4().hex[:8]}"
    reports = [journey.report(target, f"chatter-{i}", reason="harassment") for i in range(3)]
    assert len({r["case_id"] for r in reports}) == 1
    assert [r["aggregated"] for r in reports] == [False, True, True]
    assert journey.case(reports[0]["case_id"])["report_count"] == 3
