"""The reviewer HTTP API on moto: payload-2.0 events with JWT claims through the real handler."""

from __future__ import annotations

from typing import Any

import pytest
from reviewer_http import ago, call_api, call_worker, profile_body, table_items

OPS = {"sub": "ops1", "groups": ["ops"]}
MODULE = {"sub": "listing-module", "groups": ["module"], "quorum_module": "listing"}


def put_profile(user_id: str, caller: dict[str, Any] = MODULE, **body: Any) -> tuple[int, dict[str, Any]]:
    return call_api("PUT", f"/v1/users/{user_id}/profile", body=profile_body(**body), **caller)


def test_put_profile_is_idempotent(reviewer_table: str) -> None:
    body = profile_body(tags=["trusted", "seller", "trusted"])
    status1, first = call_api("PUT", "/v1/users/alice/profile", body=body, **MODULE)
    stored = table_items(reviewer_table)
    status2, second = call_api("PUT", "/v1/users/alice/profile", body={**body, "tags": ["seller", "trusted"]}, **MODULE)
    assert (status1, status2) == (200, 200) and first == second
    assert first["profile"]["tags"] == ["seller", "trusted"] and first["status"] is None
    assert table_items(reviewer_table) == stored


@pytest.mark.parametrize("body", [
    profile_body(tags=["Trusted"]),
    profile_body(tags=["has space"]),
    profile_body(tags=["x" * 33]),
    profile_body(tags=[f"t{i}" for i in range(21)]),
    profile_body(tags="trusted"),
    profile_body(last_active_at="2025-01-01T00:00:00"),           # no timezone
    profile_body(last_active_at="yesterday"),
    profile_body(last_active_at=ago(-1)),                          # in the future
    profile_body(registered_at=ago(-30)),
    profile_body(last_active_at=ago(500), registered_at=ago(400)),  # active before registering
    profile_body(last_active_at="0001-01-01T00:00:00+14:00",
                 registered_at="0001-01-01T00:00:00+14:00"),      # before year 1 in UTC
    profile_body(credit_score=1001),
    profile_body(credit_score="700"),
    {**profile_body(), "phone": "123"},
    {"tags": []},
])
def test_invalid_profiles_get_422_and_store_nothing(reviewer_table: str, body: dict[str, Any]) -> None:
    status, error = call_api("PUT", "/v1/users/bob/profile", body=body, **MODULE)
    assert status == 422 and error["error"]["code"] == "validation_error"
    assert error["error"]["details"]
    assert table_items(reviewer_table) == []


def test_malformed_json_is_400_and_a_bad_user_id_422(reviewer_table: str) -> None:
    status, error = call_api("PUT", "/v1/users/bob/profile", raw_body="{not json", **MODULE)
    assert status == 400 and error["error"]["code"] == "malformed_json"
    status, _ = call_api("PUT", "/v1/users/a%23b/profile", body=profile_body(), **MODULE)
    assert status == 422  # '#' separates key parts: never part of an id
    status, _ = call_api("PUT", "/v1/users/" + "x" * 129 + "/profile", body=profile_body(), **MODULE)
    assert status == 422
    assert table_items(reviewer_table) == []


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/v1/reviewers/alice", None),
    ("PATCH", "/v1/reviewers/alice", {"status": "suspended", "reason": "spam"}),
    ("PATCH", "/v1/reviewers/alice", {"status": "nonsense"}),   # 403 before any validation
    ("POST", "/v1/reviewers/enrollments", None),
    ("GET", "/v1/reviewer-rules", None),
    ("PUT", "/v1/reviewer-rules", {}),
])
@pytest.mark.parametrize("caller", [MODULE, {"sub": "u1", "groups": "[user module]"}])
def test_ops_routes_refuse_other_callers_and_store_nothing(reviewer_table: str, method: str, path: str,
                                                           body: Any, caller: dict[str, Any]) -> None:
    put_profile("alice", last_active_at=ago(30))
    before = table_items(reviewer_table)
    status, error = call_api(method, path, body=body, **caller)
    assert status == 403 and error["error"]["code"] == "wrong_role"
    assert table_items(reviewer_table) == before


def test_profile_route_is_for_modules_and_needs_a_token(reviewer_table: str) -> None:
    status, _ = put_profile("alice", caller={"sub": "alice", "groups": ["user"]})
    assert status == 403
    status, error = put_profile("alice", caller={"sub": None})
    assert status == 401 and error["error"]["code"] == "missing_token"
    assert table_items(reviewer_table) == []


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PATCH", {"status": "suspended", "reason": "spam"})])
def test_unknown_reviewer_is_404_and_nothing_is_stored(reviewer_table: str, method: str, body: Any) -> None:
    status, error = call_api(method, "/v1/reviewers/ghost", body=body, **OPS)
    assert status == 404 and error["error"]["code"] == "reviewer_not_found"
    assert table_items(reviewer_table) == []


def test_patch_with_an_unknown_status_is_422(reviewer_table: str) -> None:
    put_profile("alice")
    before = table_items(reviewer_table)
    status, _ = call_api("PATCH", "/v1/reviewers/alice", body={"status": "banned", "reason": "x"}, **OPS)
    assert status == 422 and table_items(reviewer_table) == before


def test_ops_enroll_suspend_lift_and_view(reviewer_table: str) -> None:
    put_profile("alice")
    put_profile("carol", last_active_at=ago(30))
    status, counts = call_api("POST", "/v1/reviewers/enrollments", **OPS)
    assert status == 200 and counts == {"enrolled": 1, "resumed": 0, "paused": 0, "skipped": 1, "next_cursor": None}
    status, view = call_api("GET", "/v1/reviewers/alice", **OPS)
    assert status == 200 and view["status"] == "active" and view["status_note"]["by"] == "enrollment"
    assert view["stats"] == {"invited": 0, "voted": 0, "no_shows": 0, "agreed": 0}
    status, view = call_api("PATCH", "/v1/reviewers/alice", body={"status": "suspended", "reason": "abuse"}, **OPS)
    assert status == 200 and view["status"] == "suspended" and view["status_note"] == {
        "reason": "abuse", "by": "ops:ops1", "at": view["status_note"]["at"]}
    assert call_worker({"action": "draw_panel", "case_id": "c1", "seats": 1})["reviewer_ids"] == []
    status, view = call_api("PATCH", "/v1/reviewers/alice", body={"status": "active", "reason": "appeal"}, **OPS)
    assert view["status"] == "active"
    assert call_worker({"action": "draw_panel", "case_id": "c1", "seats": 1})["reviewer_ids"] == ["alice"]


def test_profile_update_resumes_a_paused_reviewer(reviewer_table: str) -> None:
    put_profile("alice")
    call_api("POST", "/v1/reviewers/enrollments", **OPS)
    call_api("PATCH", "/v1/reviewers/alice", body={"status": "paused", "reason": "holiday"}, **OPS)
    status, body = put_profile("alice", last_active_at=ago(0))
    assert status == 200 and body["status"] == "active"


def test_rules_round_trip_and_validation(reviewer_table: str) -> None:
    status, rules = call_api("GET", "/v1/reviewer-rules", **OPS)
    assert status == 200 and rules["enrollment"] == {"required_tags": [], "active_within_days": 7,
                                                     "min_account_age_days": 90, "min_credit_score": 600}
    assert rules["fatigue"] == {"max_open_invitations": 3, "max_assignments_per_day": 20}
    status, _ = call_api("PUT", "/v1/reviewer-rules", body={"quality": {"window": 5, "min_sample": 9}}, **OPS)
    assert status == 422
    new = {"enrollment": {"required_tags": ["verified"], "min_credit_score": 650}}
    status, stored = call_api("PUT", "/v1/reviewer-rules", body=new, **OPS)
    assert status == 200 and stored["enrollment"]["required_tags"] == ["verified"]
    assert call_api("GET", "/v1/reviewer-rules", **OPS)[1] == stored
    put_profile("alice")  # no `verified` tag: not enrolled under the new rule
    assert call_api("POST", "/v1/reviewers/enrollments", **OPS)[1]["enrolled"] == 0


def test_inbox_shows_my_open_invitations_until_the_seat_is_released(reviewer_table: str) -> None:
    put_profile("alice")
    put_profile("bob")
    call_api("POST", "/v1/reviewers/enrollments", **OPS)
    deadline = "2999-01-01T00:00:00+00:00"
    drawn = call_worker({"action": "draw_panel", "case_id": "case-1", "seats": 2, "exclude": ["reporter-9"],
                         "tags": ["trusted"], "module": "chat", "reason": "harassment",
                         "content": {"text": "call me at ***"}, "deadline": deadline})
    assert sorted(drawn["reviewer_ids"]) == ["alice", "bob"]
    status, inbox = call_api("GET", "/v1/reviewer/tasks", sub="alice", groups=["user"])
    assert status == 200 and inbox == {"tasks": [{
        "case_id": "case-1", "module": "chat", "reason": "harassment", "content": {"text": "call me at ***", "image_urls": []},
        "deadline": deadline, "invited_at": inbox["tasks"][0]["invited_at"]}]}
    assert call_worker({"action": "release_seat", "case_id": "case-1", "reviewer_id": "alice", "outcome": "voted"}) == {"released": True}
    assert call_api("GET", "/v1/reviewer/tasks", sub="alice", groups=["user"])[1] == {"tasks": []}
    assert len(call_api("GET", "/v1/reviewer/tasks", sub="bob", groups=["user"])[1]["tasks"]) == 1
    assert call_api("GET", "/v1/reviewer/tasks", **MODULE)[0] == 403


@pytest.mark.parametrize(("claim", "code"), [(None, "module_claim_missing"), ("", "module_claim_missing"),
                                            ("auction", "module_claim_missing")])
def test_a_profile_comes_only_from_a_token_that_speaks_for_a_module(reviewer_table: str, claim: str | None,
                                                                     code: str) -> None:
    # issue 15 #12: a module token names its module (quorum_module); one that names none feeds nothing
    caller = {"sub": "listing-module", "groups": ["module"], "quorum_module": claim}
    status, error = call_api("PUT", "/v1/users/alice/profile", body=profile_body(), **caller)
    assert (status, error["error"]["code"]) == (403, code)
    assert table_items(reviewer_table) == []


@pytest.mark.parametrize("user_id", ["a%2Fb", "a%23b", "%20bob", "-bob"])
def test_user_ids_follow_the_one_id_rule_of_every_capability(reviewer_table: str, user_id: str) -> None:
    status, error = call_api("PUT", f"/v1/users/{user_id}/profile", body=profile_body(), **MODULE)
    assert status == 422, error
    assert table_items(reviewer_table) == []


@pytest.mark.parametrize("forged", [
    {"s": 0, "k": {"foo": "bar"}},  # a start key DynamoDB refuses: a 500 before (issue 15, defect 10)
    {"s": 0, "k": {"pk": "USER#x", "sk": "PROFILE", "gsi1pk": "PROFILES#3", "gsi1sk": "x"}},  # another shard's key
    {"s": 0, "k": {"pk": 1, "sk": "PROFILE", "gsi1pk": "PROFILES#0", "gsi1sk": "x"}},
    {"s": 99, "k": None},
])
def test_a_forged_enrollment_cursor_is_refused_and_runs_nothing(reviewer_table: str, forged: dict[str, Any]) -> None:
    from quorum_common.dynamo import encode_cursor

    put_profile("alice")
    before = table_items(reviewer_table)
    status, body = call_api("POST", "/v1/reviewers/enrollments", body={"cursor": encode_cursor(forged)}, **OPS)
    assert (status, body["error"]["code"]) == (422, "invalid_cursor")
    assert table_items(reviewer_table) == before
