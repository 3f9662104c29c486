"""The grant worker on moto: exactly one ledger entry per (case, reviewer) whatever is redelivered,
also when driven through moto's Lambda invoke path (the `stack` fixture)."""

from __future__ import annotations

import json

import boto3
import pytest
from reward_http_events import call
from reward_moto import REWARD_TABLE, decide, reward_tables, stored, worker_context  # noqa: F401  (fixture)

from quorum_common.errors import InvalidInput

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

WORKER = "quorum-local-reward-worker"
EVENT = {"action": "grant_rewards", "case_id": "case-7", "module": "review", "decision": "no_violation",
         "decided_at": "2025-03-01T10:00:00.000Z",
         "votes": [{"reviewer_id": "r1", "verdict": "no_violation"}, {"reviewer_id": "r2", "verdict": "violation"}]}


def entries_of(user: str) -> list[dict]:
    return call("GET", "/v1/rewards/me", sub=user, query={"limit": "100"})[1]["entries"]


def invoke(payload: dict) -> tuple[dict, str | None]:
    response = boto3.client("lambda").invoke(FunctionName=WORKER, Payload=json.dumps(payload).encode())
    return json.loads(response["Payload"].read()), response.get("FunctionError")


def test_the_same_grant_delivered_three_times_yields_one_entry_per_voter(reward_tables):
    summaries = [decide("case-7", {"r1": "no_violation", "r2": "violation"}, decision="no_violation")
                 for _ in range(3)]
    assert summaries[0] == {"granted": [{"reviewer_id": "r1", "points": 15}, {"reviewer_id": "r2", "points": 10}],
                            "already_granted": []}
    assert summaries[1] == summaries[2] == {"granted": [], "already_granted": summaries[0]["granted"]}
    for user, points in (("r1", 15), ("r2", 10)):
        mine = call("GET", "/v1/rewards/me", sub=user)[1]
        assert [e["points"] for e in mine["entries"]] == [points] and mine["balance"] == points


def test_the_daily_cap_holds_across_cases_and_a_trimmed_grant_is_recorded_with_zero(reward_tables):
    # Default rule: 15 per matching vote, cap 200 a day -> 13 full grants, then 5, then 0
    points = [decide(f"case-{n}", {"r1": "violation"})["granted"][0]["points"] for n in range(15)]
    assert points == [15] * 13 + [5, 0]
    assert decide("case-14", {"r1": "violation"})["already_granted"] == [{"reviewer_id": "r1", "points": 0}]
    assert call("GET", "/v1/rewards/me", sub="r1")[1]["balance"] == 200 == sum(e["points"] for e in entries_of("r1"))
    assert decide("next-day", {"r1": "violation"}, decided_at="2025-03-02T00:00:00Z")["granted"][0]["points"] == 15


def test_a_malformed_grant_event_is_refused_with_a_stable_error_and_stores_nothing(reward_tables):
    from quorum_reward.handlers import worker

    before = stored(REWARD_TABLE)
    with pytest.raises(InvalidInput) as refused:
        worker.handler({**EVENT, "decision": "maybe"}, worker_context())
    assert refused.value.code == "invalid_grant_request"
    with pytest.raises(worker.UnknownAction):
        worker.handler({"action": "grant_everything"}, worker_context())
    assert stored(REWARD_TABLE) == before


def test_the_worker_runs_behind_moto_lambda_invoke_and_stays_exactly_once(stack):
    # Given the deployed local stack; When the state machine's task payload is invoked three times
    results = [invoke(EVENT) for _ in range(3)]
    # Then the first grants, the retries report the same points, and each voter has one entry
    assert [error for _, error in results] == [None, None, None]
    assert results[0][0]["granted"] == [{"reviewer_id": "r1", "points": 15}, {"reviewer_id": "r2", "points": 10}]
    assert results[1][0] == results[2][0] == {"granted": [], "already_granted": results[0][0]["granted"]}
    assert [len(entries_of(user)) for user in ("r1", "r2")] == [1, 1]


def test_an_unknown_action_fails_the_invoke_with_a_stable_error_type(stack):
    payload, error = invoke({"action": "grant_everything"})
    assert error and payload["errorType"] == "UnknownAction"


def test_a_case_s_grants_are_read_back_for_its_timeline(reward_tables):
    from quorum_reward.handlers import worker

    decide("case-7", {"r1": "no_violation", "r2": "violation"}, decision="no_violation")
    decide("case-8", {"r3": "violation"})
    answer = worker.handler({"action": "case_grants", "case_id": "case-7"}, worker_context())
    assert answer["case_id"] == "case-7"
    assert [(g["reviewer_id"], g["points"]) for g in answer["grants"]] == [("r1", 15), ("r2", 10)]
    assert all(g["granted_at"] for g in answer["grants"])
    assert worker.handler({"action": "case_grants", "case_id": "case-none"}, worker_context())["grants"] == []
    with pytest.raises(InvalidInput):
        worker.handler({"action": "case_grants", "case_id": "bad id/"}, worker_context())
