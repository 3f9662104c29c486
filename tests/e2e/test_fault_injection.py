"""Thirty cases decided on a local cloud whose workers fail a share of invocations after doing their work.

`QUORUM_FAULTS` strikes every worker: the reviewer worker (draws, releases, stats), the reward
worker (grants) and the report worker (every lifecycle step). Each struck invocation has done its
work and then reports a `TransientError`, so the state machine retries work that already
happened. Every effect must still happen exactly once.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from e2e_cloud import LocalCloudProcess, running_cloud

from quorum_common.dynamo import from_item
from quorum_local.journeys import DecisionInbox, Journey

pytestmark = pytest.mark.e2e
FAULTS = "reviewer-worker:*=0.3,reward-worker:*=0.3,report-worker:*=0.2"
CASES, PANEL, POOL = 30, 3, 30


@pytest.fixture(scope="module")
def faulty_cloud() -> Iterator[LocalCloudProcess]:
    with running_cloud({"QUORUM_FAULTS": FAULTS, "QUORUM_FAULTS_SEED": "15"}) as cloud:
        yield cloud


def scan(cloud: LocalCloudProcess, table: str) -> list[dict[str, Any]]:
    pages = cloud.client("dynamodb").get_paginator("scan").paginate(TableName=f"quorum-local-{table}")
    return [from_item(raw) for page in pages for raw in page["Items"]]


def injected_faults(cloud: LocalCloudProcess) -> int:
    """How many task failures the executions saw that were injected faults (retried, then passed)."""
    sfn = cloud.client("stepfunctions")
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    runs = sfn.list_executions(stateMachineArn=machine)["executions"]
    events = [e for run in runs for e in sfn.get_execution_history(executionArn=run["executionArn"],
                                                                  maxResults=1000)["events"]]
    return sum("injected fault" in str(e.get(f"{kind}FailedEventDetails", {}).get("cause", ""))
               for e in events for kind in ("task", "lambdaFunction"))


def seats_of(cloud: LocalCloudProcess, case_id: str) -> list[str]:
    """The case's seats as the report table holds them (read directly: polling the API would cost invocations)."""
    found = cloud.client("dynamodb").query(TableName="quorum-local-report", KeyConditionExpression="pk = :pk AND "
                                           "begins_with(sk, :seat)", ExpressionAttributeValues={
                                               ":pk": {"S": f"CASE#{case_id}"}, ":seat": {"S": "SEAT#"}})
    return [item["reviewer_id"]["S"] for item in found["Items"]]


def effects_done(cloud: LocalCloudProcess, case_id: str) -> bool:
    case = cloud.client("dynamodb").get_item(TableName="quorum-local-report",
                                             Key={"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "CASE"}})["Item"]
    return "effects_done_at" in case


def until(check: Any, what: str) -> Any:
    """`poll` at a gentler pace: thirty cases are watched at once."""
    end = time.monotonic() + 120
    while time.monotonic() < end:
        if found := check():
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def drained(inbox: DecisionInbox) -> list[dict[str, Any]]:
    """Every message the queue holds (a receive returns at most ten)."""
    while True:
        before = len(inbox.received)
        if len(inbox.drain()) == before:
            return inbox.received


def decide(cloud: LocalCloudProcess, journey: Journey, n: int) -> tuple[str, list[str]]:
    """One case: a report, its panel of three, two votes for a violation; returns the case and its voters."""
    case_id = journey.report(f"listing-{n}-{uuid.uuid4().hex[:6]}", f"reporter-{n}", reason="counterfeit")["case_id"]
    voters = until(lambda: len(seats := seats_of(cloud, case_id)) >= PANEL and seats, f"the panel of {case_id}")[:2]
    for voter in voters:
        assert journey.vote(case_id, voter, "violation").status_code == 201
    until(lambda: effects_done(cloud, case_id), f"the effects of {case_id}")
    return case_id, voters


def test_every_case_is_decided_once_with_faults_on_every_worker(faulty_cloud: LocalCloudProcess) -> None:
    # Given a listing policy of three seats, two to win, and a pool of thirty reviewers
    journey = Journey(faulty_cloud.api_url, faulty_cloud.mint, "listing")
    journey.set_policy(panel_size=PANEL, votes_to_win=2, vote_window_seconds=600, substitute_rounds=0, min_votes=2)
    journey.enroll_pool(POOL)
    inbox = DecisionInbox(faulty_cloud.aws_url, "listing")
    # When thirty cases are reported and voted on, a few at a time
    with ThreadPoolExecutor(max_workers=10) as pool:
        cases = dict(pool.map(lambda n: decide(faulty_cloud, journey, n), range(CASES)))
    # Then every case is decided exactly once, on the votes cast
    views = {case_id: journey.case(case_id) for case_id in cases}
    assert {v["status"] for v in views.values()} == {"decided"}
    assert all([e["event"] for e in v["timeline"]].count("decided") == 1 for v in views.values())
    # And each case's CaseDecided went out exactly once
    announced = Counter(m["case_id"] for m in drained(inbox))
    assert announced == Counter(dict.fromkeys(cases, 1))
    # And each seat was invited once: the reviewer service's invitations are exactly the case's panel
    reviewer_items = scan(faulty_cloud, "reviewer")
    invitations = [i for i in reviewer_items if i.get("kind") == "invitation" and i["case_id"] in cases]
    assert Counter((i["case_id"], i["reviewer_id"]) for i in invitations) == Counter(
        (case_id, seat["reviewer_id"]) for case_id, view in views.items() for seat in view["panel"])
    assert all(len(view["panel"]) == PANEL for view in views.values())
    # And the fatigue counters equal the invitations still open
    open_by_reviewer = Counter(i["reviewer_id"] for i in reviewer_items if i.get("kind") == "invitation"
                               and i["state"] == "open")
    profiles = {i["pk"].removeprefix("USER#"): i for i in reviewer_items if i["sk"] == "PROFILE"}
    assert {uid: p.get("open_invitations", 0) for uid, p in profiles.items() if uid.startswith(journey.tag)} == {
        uid: open_by_reviewer.get(uid, 0) for uid in profiles if uid.startswith(journey.tag)}
    # And each voter was granted once, and every balance is the sum of its entries, never negative
    reward_items = scan(faulty_cloud, "reward")
    grants = Counter((i["pk"].removeprefix("GRANT#"), i["sk"].removeprefix("REVIEWER#"))
                     for i in reward_items if i["pk"].startswith("GRANT#"))
    assert grants == Counter((case_id, voter) for case_id, voters in cases.items() for voter in voters)
    entries = Counter()
    for item in reward_items:
        if item["sk"].startswith("ENTRY#"):
            entries[item["pk"]] += item["points"]
    balances = {i["pk"]: i["balance"] for i in reward_items if i["sk"] == "BALANCE"}
    assert balances == {pk: entries[pk] for pk in balances} and min(balances.values()) >= 0
    assert set(entries) <= set(balances)
    # And the run was not lucky: the state machine retried injected faults along the way
    assert injected_faults(faulty_cloud) > CASES
