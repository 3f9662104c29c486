"""Regions on moto: the profile route stores a reviewer's region on the reviewer item and every pool
entry (the draw reads it there), and a draw with a region share never over-seats one region."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from reviewer_http import call_api, call_worker, profile_body, table_items

OPS = {"sub": "ops1", "groups": ["ops"]}
MODULE = {"sub": "listing-module", "groups": ["module"], "quorum_module": "listing"}


def put_profile(user_id: str, **body: Any) -> tuple[int, dict[str, Any]]:
    return call_api("PUT", f"/v1/users/{user_id}/profile", body=profile_body(**body), **MODULE)


def regions_stored(table: str, user_id: str) -> dict[str, str | None]:
    """sk -> region attribute of each item of `user_id` (the reviewer item and its pool entries)."""
    return {i["sk"]["S"]: i.get("region", {}).get("S") for i in table_items(table) if i["pk"]["S"] == f"USER#{user_id}"}


def test_region_is_on_the_profile_and_every_pool_entry_and_follows_changes(reviewer_table: str) -> None:
    status, body = put_profile("alice", tags=["trusted", "seller"], region="eu-west")
    assert status == 200 and body["profile"]["region"] == "eu-west"
    call_api("POST", "/v1/reviewers/enrollments", **OPS)
    stored = regions_stored(reviewer_table, "alice")
    assert len(stored) == 3 and set(stored.values()) == {"eu-west"}  # reviewer item + 2 tag entries
    assert call_api("GET", "/v1/reviewers/alice", **OPS)[1]["profile"]["region"] == "eu-west"
    # A new region rewrites every entry; no region removes it everywhere
    assert put_profile("alice", tags=["trusted", "seller"], region="us")[0] == 200
    assert set(regions_stored(reviewer_table, "alice").values()) == {"us"}
    status, body = put_profile("alice", tags=["trusted", "seller"])
    assert status == 200 and body["profile"]["region"] is None
    stored = regions_stored(reviewer_table, "alice")
    assert len(stored) == 3 and set(stored.values()) == {None}


@pytest.mark.parametrize("region", ["EU", "eu west", "", "x" * 33, 7, ["eu"], "eu--west", "-eu"])
def test_a_bad_region_is_422_and_stores_nothing(reviewer_table: str, region: Any) -> None:
    status, error = put_profile("bob", region=region)
    assert status == 422 and error["error"]["code"] == "validation_error"
    assert table_items(reviewer_table) == []


def test_a_region_share_caps_each_region_in_a_drawn_panel(reviewer_table: str) -> None:
    # Given 6 reviewers in `eu` and 2 in `us`, all active
    for i in range(6):
        put_profile(f"eu{i}", region="eu")
    for i in range(2):
        put_profile(f"us{i}", region="us")
    call_api("POST", "/v1/reviewers/enrollments", **OPS)
    # When 5 seats are drawn strictly with 0.4 per region (2 seats), then with `prefer`
    strict = call_worker({"action": "draw_panel", "case_id": "c1", "seats": 5, "max_region_share": 0.4,
                          "balance": "strict"})
    prefer = call_worker({"action": "draw_panel", "case_id": "c2", "seats": 5, "max_region_share": 0.4})
    # Then strict seats 2 + 2 and leaves one seat empty; prefer fills it with a third `eu` reviewer
    assert Counter(r[:2] for r in strict["reviewer_ids"]) == Counter({"eu": 2, "us": 2}) and strict["short_by"] == 1
    assert Counter(r[:2] for r in prefer["reviewer_ids"]) == Counter({"eu": 3, "us": 2}) and prefer["short_by"] == 0
