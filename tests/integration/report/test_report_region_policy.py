"""The region share of a policy on moto: refused values store nothing; a stored one reaches the draw
through the state machine (the DrawPanel task carries `max_region_share` and `balance`)."""

from __future__ import annotations

from typing import Any

import pytest
from report_harness import Api, Peers, eventually, scan_all

RULES = {"panel_size": 5, "votes_to_win": 3, "vote_window_seconds": 600}


@pytest.mark.parametrize("extra", [
    {"max_region_share": 0}, {"max_region_share": -0.4}, {"max_region_share": 1.01}, {"max_region_share": True},
    {"max_region_share": "0.4"}, {"max_region_share": None}, {"balance": "loose"}, {"balance": "STRICT"},
])
def test_a_bad_region_share_or_balance_is_422_and_stores_nothing(api: Api, peers: Peers, extra: dict[str, Any]) -> None:
    before = scan_all()
    reply = api.put_policy("listing", **RULES, **extra)
    assert (reply.status, reply.code) == (422, "validation_error"), reply.body
    assert scan_all() == before


def test_the_policy_share_and_balance_reach_the_draw(api: Api, peers: Peers) -> None:
    peers.reviewer.pool = [f"rev-{i}" for i in range(5)]
    stored = api.put_policy("listing", **RULES, max_region_share=0.4, balance="strict")
    assert stored.status == 200 and (stored.body["max_region_share"], stored.body["balance"]) == (0.4, "strict")
    listed = {p["module"]: p for p in api.ops("GET", "/v1/policies").body["policies"]}
    assert (listed["listing"]["max_region_share"], listed["listing"]["balance"]) == (0.4, "strict")
    assert (listed["post"]["max_region_share"], listed["post"]["balance"]) == (1.0, "prefer")  # the defaults
    assert api.report().status == 202
    draw = eventually(lambda: peers.reviewer.calls["draw_panel"][:1])[0]
    assert (draw["max_region_share"], draw["balance"], draw["seats"]) == (0.4, "strict", 5)
