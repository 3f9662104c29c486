"""Concurrent redemptions on moto: the conditions of one transaction never oversell, never overdraw.

Threads call the use case with the real DynamoDB adapters (and Powertools Idempotency where a key
is sent), not the HTTP handler: a Lambda environment serves one request at a time, and the
Powertools resolver keeps the current event on the module-level app.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from reward_http_events import call, context
from reward_moto import decide, reward_tables  # noqa: F401  (fixtures)

from quorum_common.errors import QuorumError
from quorum_reward.handlers import wiring
from quorum_reward.service.mall import Redeem

OPS = {"sub": "ops-1", "groups": ("ops",)}
pytestmark = [
              pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")]


def outcomes(commands: list[Redeem]) -> list[str]:
    """Run every command at once; each outcome is 'ok' or the refusal's code."""
    def attempt(command: Redeem) -> str:
        try:
            wiring.redeemer()(command, context())
            return "ok"
        except QuorumError as refused:
            return refused.code

    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        return list(pool.map(attempt, commands))


def balance_and_entries(user: str) -> tuple[int, int]:
    mine = call("GET", "/v1/rewards/me", sub=user, query={"limit": "100"})[1]
    return mine["balance"], sum(e["points"] for e in mine["entries"])


def stock_of(item_id: str) -> int:
    return next(i["stock"] for i in call("GET", "/v1/mall/items")[1]["items"] if i["item_id"] == item_id)


def test_thirty_users_racing_for_ten_units_buy_exactly_ten(reward_tables):
    # Given 30 users with 15 points each and an item of 10 points with 10 in stock
    users = [f"user-{n:02d}" for n in range(30)]
    decide("case-1", {user: "violation" for user in users})
    call("PUT", "/v1/mall/items/lamp", body={"name": "Lamp", "cost_points": 10, "stock": 10}, **OPS)
    # When they all redeem one at the same moment, each with their own Idempotency-Key
    results = outcomes([Redeem(user_id=u, item_id="lamp", quantity=1, idempotency_key=f"key-{u}") for u in users])
    # Then exactly 10 succeed, the others are told the stock ran out, and the stock ends at 0
    assert results.count("ok") == 10 and results.count("insufficient_stock") == 20
    assert stock_of("lamp") == 0
    winners = [u for u, r in zip(users, results, strict=True) if r == "ok"]
    assert all(balance_and_entries(u) == (5, 5) for u in winners)
    assert all(balance_and_entries(u) == (15, 15) for u in users if u not in winners)
    assert sum(len(call("GET", "/v1/mall/redemptions", sub=u)[1]["redemptions"]) for u in users) == 10


@pytest.mark.parametrize("with_keys", [False, True])
def test_one_user_racing_ten_redemptions_is_served_only_what_the_balance_covers(reward_tables, with_keys):
    # Given a user with 15 points and an item of 5 points with plenty of stock
    decide("case-1", {"u1": "violation"})
    call("PUT", "/v1/mall/items/pen", body={"name": "Pen", "cost_points": 5, "stock": 100}, **OPS)
    # When they send 10 redemptions at once
    results = outcomes([Redeem(user_id="u1", item_id="pen", quantity=1,
                               idempotency_key=f"k{n}" if with_keys else None) for n in range(10)])
    # Then exactly 3 succeed, and the balance is 0 and still the sum of the entries
    assert results.count("ok") == 3 and results.count("insufficient_points") == 7
    assert balance_and_entries("u1") == (0, 0)
    assert stock_of("pen") == 97


def test_concurrent_grants_of_many_cases_never_pass_the_daily_cap(reward_tables):
    # Given the default rule (15 per matching vote, cap 200); When 20 cases for one reviewer are granted at once
    with ThreadPoolExecutor(max_workers=20) as pool:
        summaries = list(pool.map(lambda n: decide(f"case-{n}", {"r1": "violation"}), range(20)))
    # Then the reviewer got exactly the cap, in one entry per case
    assert sum(s["granted"][0]["points"] for s in summaries) == 200
    mine = call("GET", "/v1/rewards/me", sub="r1", query={"limit": "100"})[1]
    assert mine["balance"] == 200 and len(mine["entries"]) == 20


def test_the_same_request_sent_five_times_at_once_redeems_once(reward_tables):
    # Given a user with 15 points; When a client fires the same keyed request 5 times at once
    decide("case-1", {"u1": "violation"})
    call("PUT", "/v1/mall/items/pen", body={"name": "Pen", "cost_points": 5, "stock": 100}, **OPS)
    results = outcomes([Redeem(user_id="u1", item_id="pen", quantity=1, idempotency_key="once")] * 5)
    # Then one is served (the others see it in progress or get its result), and one debit is stored
    assert results.count("ok") >= 1 and set(results) <= {"ok", "request_in_progress"}
    assert balance_and_entries("u1") == (10, 10) and stock_of("pen") == 99
    assert len(call("GET", "/v1/mall/redemptions", sub="u1")[1]["redemptions"]) == 1
