"""The reward API over payload-2.0 events with JWT claims, on moto: what callers see, and that
every refused request stores nothing."""

from __future__ import annotations

import pytest
from reward_http_events import call
from reward_moto import decide, everything, reward_tables  # noqa: F401  (fixture)

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")

OPS = {"sub": "ops-1", "groups": ("ops",)}
TEA = {"name": "Oolong tea", "cost_points": 10, "stock": 5}


@pytest.fixture
def mall(reward_tables):
    """A catalogue with `tea` (10 points, 5 in stock) and user u1 holding 15 points."""
    assert call("PUT", "/v1/mall/items/tea", body=TEA, **OPS)[0] == 200
    decide("case-1", {"u1": "violation"})
    return reward_tables


def redeem(body, key=None, sub="u1"):
    return call("POST", "/v1/mall/redemptions", body=body, sub=sub,
                headers={"Idempotency-Key": key} if key else None)


# ---------------------------------------------------------------- the happy path
def test_a_user_sees_points_redeems_them_and_finds_the_redemption(mall):
    status, mine = call("GET", "/v1/rewards/me")
    assert status == 200 and mine["balance"] == 15
    assert [(e["kind"], e["points"], e["case_id"]) for e in mine["entries"]] == [("grant", 15, "case-1")]

    status, redemption = redeem({"item_id": "tea", "quantity": 1}, key="k-1")
    assert status == 201
    assert (redemption["item_id"], redemption["quantity"], redemption["cost_points"]) == ("tea", 1, 10)

    status, mine = call("GET", "/v1/rewards/me")
    assert mine["balance"] == 5 == sum(e["points"] for e in mine["entries"])
    assert [e["points"] for e in mine["entries"]] == [-10, 15]  # newest first
    assert call("GET", "/v1/mall/redemptions")[1]["redemptions"] == [redemption]
    assert call("GET", "/v1/mall/items")[1]["items"][0]["stock"] == 4


def test_entries_are_bounded_by_limit_newest_first(reward_tables):
    for n in range(4):
        decide(f"case-{n}", {"u1": "violation"}, decided_at=f"2025-03-0{n + 1}T10:00:00Z")
    status, mine = call("GET", "/v1/rewards/me", query={"limit": "2"})
    assert status == 200 and mine["balance"] == 60
    assert [e["case_id"] for e in mine["entries"]] == ["case-3", "case-2"]
    assert call("GET", "/v1/rewards/me", query={"limit": "0"})[0] == 422


def test_groups_flattened_to_a_string_by_the_authorizer_are_accepted(mall):
    status, body = call("GET", "/v1/mall/items", groups="[user other]")
    assert status == 200 and [i["item_id"] for i in body["items"]] == ["tea"]


# ---------------------------------------------------------------- idempotency
def test_a_retried_redemption_returns_the_first_result_and_stores_nothing_new(mall):
    first = redeem({"item_id": "tea", "quantity": 1}, key="same")
    before = everything()
    again = redeem({"item_id": "tea", "quantity": 1}, key="same")
    assert again == first and first[0] == 201
    assert everything() == before
    # the replay was answered by Powertools Idempotency: one completed record under our key prefix
    records = before[1]
    assert [(r["id"]["S"].split("#")[0], r["status"]["S"]) for r in records] == [
        ("quorum-reward.redemption", "COMPLETED")]
    assert call("GET", "/v1/rewards/me")[1]["balance"] == 5


def test_a_key_reused_with_another_body_is_422_and_stores_nothing(mall):
    redeem({"item_id": "tea", "quantity": 1}, key="same")
    before = everything()
    status, body = redeem({"item_id": "tea", "quantity": 2}, key="same")
    assert (status, body["error"]["code"]) == (422, "idempotency_key_reused")
    assert everything() == before


def test_the_same_key_from_another_user_is_their_own_request(mall):
    decide("case-2", {"u2": "violation"})
    assert redeem({"item_id": "tea", "quantity": 1}, key="shared")[0] == 201
    status, theirs = redeem({"item_id": "tea", "quantity": 1}, key="shared", sub="u2")
    assert status == 201 and theirs["user_id"] == "u2"
    assert call("GET", "/v1/mall/items")[1]["items"][0]["stock"] == 3


def test_without_a_key_each_request_is_processed_once(mall):
    status, body = redeem({"item_id": "tea", "quantity": 1})
    assert status == 201, body
    mine = call("GET", "/v1/rewards/me")[1]
    assert mine["balance"] == 5 and len(mine["entries"]) == 2
    assert len(call("GET", "/v1/mall/redemptions")[1]["redemptions"]) == 1


def test_a_refused_redemption_can_be_retried_with_the_same_key_once_it_can_succeed(mall):
    status, body = redeem({"item_id": "tea", "quantity": 2}, key="later")
    assert (status, body["error"]["code"]) == (409, "insufficient_points")
    decide("case-2", {"u1": "violation"})
    assert redeem({"item_id": "tea", "quantity": 2}, key="later")[0] == 201


# ---------------------------------------------------------------- caller mistakes store nothing
def post_redemption(body=None, **kwargs):
    return dict(method="POST", path="/v1/mall/redemptions", body=body, **kwargs)


def put_item(item_id="mug", body=None, **kwargs):
    return dict(method="PUT", path=f"/v1/mall/items/{item_id}", body=body, **kwargs)


def put_rule(module="chat", body=None, **kwargs):
    return dict(method="PUT", path=f"/v1/reward-rules/{module}", body=body, **kwargs)


ONE_TEA = {"item_id": "tea", "quantity": 1}
RULE = {"points_per_vote": 1, "consensus_bonus": 1, "daily_cap": 9}
MISTAKES = {
    "unknown item": (post_redemption({"item_id": "ghost", "quantity": 1}), 404, "item_not_found"),
    "quantity 0": (post_redemption({"item_id": "tea", "quantity": 0}), 422, "validation_error"),
    "quantity 11": (post_redemption({"item_id": "tea", "quantity": 11}), 422, "validation_error"),
    "quantity as text": (post_redemption({"item_id": "tea", "quantity": "1"}), 422, "validation_error"),
    "extra field": (post_redemption({**ONE_TEA, "x": 1}), 422, "validation_error"),
    "over balance": (post_redemption({"item_id": "tea", "quantity": 2}), 409, "insufficient_points"),
    "oversize key": (post_redemption(ONE_TEA, headers={"Idempotency-Key": "x" * 129}), 422,
                     "invalid_idempotency_key"),
    "malformed redemption": (post_redemption(raw_body='{"item_id": "tea",'), 400, "malformed_json"),
    "no token": (post_redemption(ONE_TEA, sub=None), 401, "missing_token"),
    "module redeems": (post_redemption(ONE_TEA, groups=("module",)), 403, "wrong_role"),
    "user puts item": (put_item("tea", TEA), 403, "wrong_role"),
    "free item": (put_item(body={**TEA, "cost_points": 0}, **OPS), 422, "validation_error"),
    "negative stock": (put_item(body={**TEA, "stock": -1}, **OPS), 422, "validation_error"),
    "bad item id": (put_item("Bad%20Id", TEA, **OPS), 422, "validation_error"),
    "malformed item": (put_item(raw_body="not json", **OPS), 400, "malformed_json"),
    "user puts rule": (put_rule(body=RULE), 403, "wrong_role"),
    "unknown module": (put_rule("forum", RULE, **OPS), 422, "unknown_module"),
    "negative points": (put_rule(body={**RULE, "points_per_vote": -1}, **OPS), 422, "validation_error"),
    "missing cap": (put_rule(body={"points_per_vote": 1, "consensus_bonus": 1}, **OPS), 422, "validation_error"),
    "malformed rule": (put_rule(raw_body="{", **OPS), 400, "malformed_json"),
    "user lists rules": (dict(method="GET", path="/v1/reward-rules"), 403, "wrong_role"),
    "ops reads my rewards": (dict(method="GET", path="/v1/rewards/me", **OPS), 403, "wrong_role"),
}


@pytest.mark.parametrize("request_args,status,code", list(MISTAKES.values()), ids=list(MISTAKES))
def test_a_caller_mistake_gets_a_clear_4xx_and_stores_nothing(mall, request_args, status, code):
    before = everything()
    args = dict(request_args)
    got_status, body = call(args.pop("method"), args.pop("path"), **args)
    assert (got_status, body["error"]["code"]) == (status, code)
    assert set(body["error"]) == {"code", "message", "details"}
    assert everything() == before


def test_insufficient_stock_is_409(mall):
    decide("case-2", {"u1": "violation"}, decided_at="2025-03-02T10:00:00Z")
    decide("case-3", {"u1": "violation"}, decided_at="2025-03-03T10:00:00Z")
    decide("case-4", {"u1": "violation"}, decided_at="2025-03-04T10:00:00Z")
    before = everything()
    status, body = redeem({"item_id": "tea", "quantity": 6})
    assert (status, body["error"]["code"]) == (409, "insufficient_stock")
    assert everything() == before


# ---------------------------------------------------------------- ops: items and reward rules
def test_ops_create_and_update_items_and_an_unchanged_put_keeps_the_version(reward_tables):
    created = call("PUT", "/v1/mall/items/tea", body=TEA, **OPS)[1]
    same = call("PUT", "/v1/mall/items/tea", body=TEA, **OPS)[1]
    restocked = call("PUT", "/v1/mall/items/tea", body={**TEA, "stock": 50}, **OPS)[1]
    assert (created["version"], same["version"], restocked["version"]) == (1, 1, 2)
    assert restocked["stock"] == 50 and restocked["item_id"] == "tea"
    assert call("GET", "/v1/mall/items", **OPS)[1]["items"] == [restocked]


def test_reward_rules_list_defaults_store_versions_and_drive_later_grants(reward_tables):
    status, listed = call("GET", "/v1/reward-rules", **OPS)
    assert status == 200 and {r["module"] for r in listed["rules"]} == {"listing", "post", "comment", "chat", "review"}
    assert all((r["source"], r["points_per_vote"], r["consensus_bonus"], r["daily_cap"]) == ("default", 10, 5, 200)
               for r in listed["rules"])

    rule = {"points_per_vote": 2, "consensus_bonus": 3, "daily_cap": 100}
    status, stored = call("PUT", "/v1/reward-rules/chat", body=rule, **OPS)
    assert status == 200 and {k: stored[k] for k in rule} == rule
    assert (stored["version"], stored["source"]) == (1, "stored") and stored["updated_at"]
    assert call("PUT", "/v1/reward-rules/chat", body=rule, **OPS)[1]["version"] == 1

    summary = decide("chat-case", {"r1": "violation", "r2": "no_violation"}, module="chat")
    assert {g["reviewer_id"]: g["points"] for g in summary["granted"]} == {"r1": 5, "r2": 2}


def test_the_demo_catalogue_seeds_through_the_api(reward_tables):
    from quorum_reward.domain.mall import default_mall_items

    for item in default_mall_items():
        body = item.model_dump(include={"name", "cost_points", "stock"})
        assert call("PUT", f"/v1/mall/items/{item.item_id}", body=body, **OPS)[0] == 200
    listed = call("GET", "/v1/mall/items")[1]["items"]
    assert sorted(i["item_id"] for i in listed) == sorted(i.item_id for i in default_mall_items())
