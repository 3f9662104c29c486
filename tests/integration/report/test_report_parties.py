"""Reporters are parties to their case, through the HTTP handlers on moto (issue 15, item 4): a repeat
report returns the first one and uses no unit of the daily cap."""

from __future__ import annotations

import pytest
from report_harness import Api, Peers

from quorum_report.service.reports import IntakeLimits


def test_a_repeat_report_returns_the_first_with_200_and_uses_no_unit_of_the_cap(
        api: Api, peers: Peers, monkeypatch: pytest.MonkeyPatch) -> None:
    from quorum_report.handlers.wiring import api_deps  # imported under the stack's environment (metrics namespace)

    monkeypatch.setattr(api_deps(), "limits", IntakeLimits(daily_cap=2))
    first = api.report(reporter="alice", target_id="item-1")
    again = api.report(reporter="alice", target_id="item-1", reason="counterfeit")
    assert first.status == 202 and first.body["existing"] is False
    assert again.status == 200
    assert again.body == {**first.body, "existing": True}
    view = api.case(first.body["case_id"]).body
    assert (view["report_count"], view["reporters"]) == (1, ["alice"])

    # the repeat used no unit: alice still has her second report of the day, and a repeat at the cap is still 200
    assert api.report(reporter="alice", target_id="item-2").status == 202
    assert api.report(reporter="alice", target_id="item-3").code == "daily_cap_reached"
    at_cap = api.report(reporter="alice", target_id="item-1")
    assert (at_cap.status, at_cap.body["report_id"]) == (200, first.body["report_id"])


def test_a_repeat_on_a_joined_case_returns_the_joined_report(api: Api, peers: Peers) -> None:
    api.report(reporter="alice")
    joined = api.report(reporter="carol")
    again = api.report(reporter="carol")
    assert (again.status, again.body["report_id"], again.body["aggregated"]) == (200, joined.body["report_id"], True)
    assert api.case(joined.body["case_id"]).body["report_count"] == 2
