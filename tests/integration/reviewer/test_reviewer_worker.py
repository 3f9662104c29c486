"""Worker actions through moto's Lambda invoke path (`stack`): enrollment, auto-adjustment, errors."""

from __future__ import annotations

import json
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from reviewer_http import ago, call_api, profile_body, table_items

from quorum_local.template import Template

WORKER = "quorum-local-reviewer-worker"
MODULE = {"sub": "listing-module", "groups": ["module"], "quorum_module": "listing"}
OPS = {"sub": "ops1", "groups": ["ops"]}


def invoke(payload: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    response = boto3.client("lambda").invoke(FunctionName=WORKER, Payload=json.dumps(payload).encode())
    return json.loads(response["Payload"].read()), response.get("FunctionError")


def seed(user_id: str, **body: Any) -> None:
    status, _ = call_api("PUT", f"/v1/users/{user_id}/profile", body=profile_body(**body), **MODULE)
    assert status == 200


def status_of(user_id: str) -> str | None:
    status, view = call_api("GET", f"/v1/reviewers/{user_id}", **OPS)
    assert status == 200
    return view["status"]


def pool_members(table: str) -> set[str]:
    """User ids holding an entry in the `draw` index."""
    de = TypeDeserializer()
    return {de.deserialize(i["user_id"]) for i in table_items(table) if "draw_pk" in i}


def test_enrollment_moves_the_right_users(stack: Template) -> None:
    seed("fresh")
    seed("newbie", registered_at=ago(30))
    seed("poor", credit_score=599)
    seed("idle", last_active_at=ago(8))
    result, error = invoke({"action": "run_enrollment"})
    assert error is None and result == {"enrolled": 1, "resumed": 0, "paused": 0, "skipped": 3, "next_cursor": None}
    assert [status_of(u) for u in ("fresh", "newbie", "poor", "idle")] == ["active", None, None, None]
    assert pool_members(stack.physical_name("ReviewerTable")) == {"fresh"}
    # The user goes idle, another comes back
    seed("fresh", last_active_at=ago(9))
    call_api("PATCH", "/v1/reviewers/idle", body={"status": "paused", "reason": "idle"}, **OPS)
    seed("idle", last_active_at=ago(0))  # a profile update alone resumes a paused reviewer...
    assert status_of("idle") == "active"
    call_api("PATCH", "/v1/reviewers/idle", body={"status": "paused", "reason": "again"}, **OPS)
    result, _ = invoke({"action": "run_enrollment", "page_size": 1})  # ...and so does enrollment
    assert result == {"enrolled": 0, "resumed": 1, "paused": 1, "skipped": 2, "next_cursor": None}
    assert [status_of(u) for u in ("fresh", "idle")] == ["paused", "active"]
    assert pool_members(stack.physical_name("ReviewerTable")) == {"idle"}


def test_auto_adjust_suspends_and_pauses_and_says_whom(stack: Template) -> None:
    for uid in ("absent", "contrarian", "steady", "sleepy"):
        seed(uid)
    invoke({"action": "run_enrollment"})
    call_api("PUT", "/v1/reviewer-rules", body={"quality": {"window": 4, "min_sample": 4}}, **OPS)
    for n in range(5):  # five decided cases with all four reviewers invited
        case = f"case{n}"
        drawn, error = invoke({"action": "draw_panel", "case_id": case, "seats": 4})
        assert error is None and sorted(drawn["reviewer_ids"]) == ["absent", "contrarian", "sleepy", "steady"]
        votes = [{"reviewer_id": "contrarian", "verdict": "no_violation", "comment": "meh"},
                 {"reviewer_id": "steady", "verdict": "violation"}, {"reviewer_id": "sleepy", "verdict": "violation"}]
        result, error = invoke({"action": "record_outcomes", "case_id": case, "decision": "violation",
                                "invited": drawn["reviewer_ids"], "votes": votes})
        assert error is None and result == {"recorded": 4, "duplicate": 0, "unknown_reviewer": 0, "released": 4}
    seed("sleepy", last_active_at=ago(10))
    result, error = invoke({"action": "auto_adjust"})
    assert error is None and result == {"paused": ["sleepy"], "suspended": ["absent", "contrarian"], "next_cursor": None}
    assert [status_of(u) for u in ("absent", "contrarian", "steady", "sleepy")] == ["suspended", "suspended", "active", "paused"]
    stats, _ = invoke({"action": "reviewer_stats", "reviewer_ids": ["absent", "steady", "ghost"]})
    assert stats == {"stats": {
        "absent": {"invited": 5, "voted": 0, "no_shows": 5, "agreed": 0, "status": "suspended"},
        "steady": {"invited": 5, "voted": 5, "no_shows": 0, "agreed": 5, "status": "active"}}}
    _, view = call_api("GET", "/v1/reviewers/steady", **OPS)
    assert view["quality"] == {"sample": 4, "votes": 4, "no_show_rate": 0.0, "disagreement_rate": 0.0}
    # a second run changes nothing
    assert invoke({"action": "auto_adjust"})[0] == {"paused": [], "suspended": [], "next_cursor": None}


def test_unknown_actions_and_malformed_events_fail_with_stable_error_names(stack: Template) -> None:
    result, error = invoke({"action": "summon_jury"})
    assert error and result["errorType"] == "UnknownAction"
    result, error = invoke({"action": "draw_panel", "case_id": "c1", "seats": "five"})
    assert error and result["errorType"] == "InvalidInput"
    result, error = invoke({"action": "release_seat", "case_id": "c1", "reviewer_id": "r1", "outcome": "maybe"})
    assert error and result["errorType"] == "InvalidInput"
    assert table_items(stack.physical_name("ReviewerTable")) == []


def test_a_draw_with_no_one_eligible_is_short_by_every_seat(stack: Template) -> None:
    result, error = invoke({"action": "draw_panel", "case_id": "c1", "seats": 5, "exclude": ["rep1"], "tags": ["trusted"]})
    assert error is None and result == {"reviewer_ids": [], "short_by": 5}
