"""Reporters are parties to their case, through the HTTP handlers on moto (issue 15, items 4 and 8):
a repeat report returns the first one and uses no unit of the daily cap; a panel member who reports
the case leaves its panel (the seat is recused, their vote refused) and a substitute takes the seat."""

from __future__ import annotations

import json
from typing import Any

import pytest
from report_harness import Api, Inbox, Peers, eventually, finished, parked, seated

from quorum_report.service.reports import IntakeLimits


def _panel(api: Api, case_id: str) -> dict[str, str]:
    return {s["reviewer_id"]: s["status"] for s in api.case(case_id).body["panel"]}


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


def test_a_panel_member_who_reports_the_case_is_recused_and_replaced(api: Api, peers: Peers,
                                                                     invitations: Inbox) -> None:
    peers.reviewer.pool = ["rev-1", "rev-2", "rev-3"]
    api.put_policy(panel_size=2, votes_to_win=2, vote_window_seconds=600)
    case_id = api.report(reporter="alice").body["case_id"]
    assert sorted(seated(api, case_id, 2)) == ["rev-1", "rev-2"]
    parked()

    # When rev-1 reports the very target they judge
    reported = api.report(reporter="rev-1", reason="counterfeit")
    assert (reported.status, reported.body["case_id"], reported.body["aggregated"]) == (202, case_id, True)

    # Then their seat is recused, their vote refused, and rev-3 is invited to the seat in the same round
    refused = api.vote("rev-1", case_id)
    assert (refused.status, refused.code) == (403, "seat_recused")
    eventually(lambda: _panel(api, case_id) == {"rev-1": "recused", "rev-2": "invited", "rev-3": "invited"})
    invitation = invitations.wait_for(lambda m: m["body"]["reviewer_id"] == "rev-3")
    assert invitation["body"]["case_id"] == case_id
    [draw] = [c for c in peers.reviewer.calls["draw_panel"] if c["seats"] == 1]
    assert {"alice", "rev-1", "rev-2", "owner-1"} <= set(draw["exclude"])
    assert {c["reviewer_id"] for c in peers.reviewer.calls["release_seat"]} == {"rev-1"}

    # and the substitute's vote counts: two votes decide the case, the recused seat is no no-show
    assert api.vote("rev-2", case_id).status == 201
    assert api.vote("rev-3", case_id).status == 201
    assert finished(case_id)["status"] == "SUCCEEDED"
    [outcomes] = peers.reviewer.calls["record_outcomes"]
    assert sorted(outcomes["invited"]) == ["rev-2", "rev-3"]


def test_a_reporter_drawn_before_they_reported_never_takes_the_seat(api: Api, peers: Peers) -> None:
    peers.reviewer.pool = ["rev-1", "rev-2"]
    api.put_policy(panel_size=2, votes_to_win=2, vote_window_seconds=600)
    peers.reviewer.draw_gate.clear()  # the draw happens, then rev-1 reports, then the round opens
    case_id = api.report(reporter="alice").body["case_id"]
    eventually(lambda: peers.reviewer.calls["draw_panel"])
    assert api.report(reporter="rev-1").status == 202
    peers.reviewer.draw_gate.set()
    assert seated(api, case_id, 1) == ["rev-2"]
    parked()
    assert _panel(api, case_id) == {"rev-2": "invited"}
    assert (api.vote("rev-1", case_id).status, api.vote("rev-1", case_id).code) == (403, "not_invited")


def test_a_recused_seats_substitute_is_drawn_by_the_versions_the_case_is_pinned_to(
        api: Api, peers: Peers, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report API asks for the substitute outside the state machine: it forwards the pins the case's
    own tasks carry, so the substitute's draw and release go to the same reviewer version (release)."""
    from moto.awslambda.models import LambdaFunction

    worker_events: list[dict[str, Any]] = []
    inner = LambdaFunction._invoke_lambda

    def spy(self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
        if self.function_name == "quorum-local-report-worker":
            worker_events.append(json.loads(event) if isinstance(event, (str, bytes)) and event else (event or {}))
        return inner(self, event)

    monkeypatch.setattr(LambdaFunction, "_invoke_lambda", spy)
    peers.reviewer.pool = ["rev-1", "rev-2", "rev-3"]
    api.put_policy(panel_size=2, votes_to_win=2, vote_window_seconds=600)
    case_id = api.report(reporter="alice").body["case_id"]
    assert sorted(seated(api, case_id, 2)) == ["rev-1", "rev-2"]
    parked()
    case_pins = next(e["pins"] for e in worker_events if e.get("action") == "open_round")
    assert case_pins["reviewer"].rsplit(":", 1)[1].isdigit()  # a version, not the alias

    assert api.report(reporter="rev-1", reason="counterfeit").status == 202
    asked = eventually(lambda: next((e for e in worker_events if e.get("action") == "substitute_seat"), None))
    assert asked.get("pins") == case_pins
    eventually(lambda: _panel(api, case_id) == {"rev-1": "recused", "rev-2": "invited", "rev-3": "invited"})
