"""The voting lifecycle end to end on moto: real state machine, real handlers, 1-2 s windows."""

from __future__ import annotations

from report_harness import Api, Inbox, Peers, eventually, finished, seated, transitions

POOL = [f"rev-{i:02d}" for i in range(1, 9)]


def test_three_votes_decide_a_five_seat_case_at_once(api: Api, peers: Peers, decisions: Inbox,
                                                     invitations: Inbox) -> None:
    # Given a 5-seat, 3-to-win listing policy with a window far longer than the test
    peers.reviewer.pool = POOL
    assert api.put_policy(panel_size=5, votes_to_win=3, vote_window_seconds=600, substitute_rounds=1).status == 200
    accepted = api.report()
    assert accepted.status == 202 and accepted.body["status"] == "voting" and not accepted.body["aggregated"]
    case_id = accepted.body["case_id"]
    panel = seated(api, case_id, 5)

    # each panel member got an invitation the push provider can fan out on
    invited = invitations.wait_for(lambda _: len(invitations.received) >= 5) and invitations.received
    assert sorted(m["attributes"]["reviewer_id"] for m in invited) == sorted(panel)
    assert {m["body"]["case_id"] for m in invited} == {case_id} and all(m["body"]["deadline"] for m in invited)

    # When three reviewers vote violation
    replies = [api.vote(reviewer, case_id, "violation") for reviewer in panel[:3]]
    assert [r.status for r in replies] == [201, 201, 201]
    assert [r.body["settled_case"] for r in replies] == [False, False, True]

    # Then the verdict reaches the module through the callback, without waiting for the window
    message = decisions.wait_for(lambda m: m["body"]["case_id"] == case_id, timeout=10)
    assert message["attributes"]["module"] == "listing" and message["attributes"]["decision"] == "violation"
    assert {k: message["body"][k] for k in ("module", "target_id", "decision", "votes_for_violation",
                                            "votes_for_no_violation")} == {
        "module": "listing", "target_id": "item-1", "decision": "violation",
        "votes_for_violation": 3, "votes_for_no_violation": 0}
    report = api.module("GET", f"/v1/reports/{accepted.body['report_id']}")
    assert (report.status, report.body["status"], report.body["decision"]) == (200, "decided", "violation")
    assert finished(case_id)["status"] == "SUCCEEDED"
    assert len(transitions(case_id)) <= 12

    # the late panel members cannot vote any more, and their seats were freed, not counted as no-shows
    late = api.vote(panel[3], case_id, "no_violation")
    assert (late.status, late.code) == (409, "case_closed")
    view = api.case(case_id).body
    assert view["status"] == "decided" and view["tally"] == {"violation": 3, "no_violation": 0}
    assert sorted(s["status"] for s in view["panel"]) == ["cancelled", "cancelled", "voted", "voted", "voted"]
    outcome = peers.reviewer.calls["record_outcomes"][0]
    assert sorted(outcome["invited"]) == sorted(panel[:3])  # the two cut short are no no-shows
    released = {e["reviewer_id"]: e["outcome"] for e in peers.reviewer.calls["release_seat"]}
    assert released == {**dict.fromkeys(panel[:3], "voted"), **dict.fromkeys(panel[3:], "expired")}
    assert view["reviewer_stats"] == {r: {"invited": 1, "voted": 0} for r in panel}
    grants = peers.reward.calls[0]
    assert grants["decision"] == "violation" and sorted(v["reviewer_id"] for v in grants["votes"]) == sorted(panel[:3])


def test_a_silent_round_times_out_and_substitutes_fill_the_missing_seats(api: Api, peers: Peers,
                                                                         decisions: Inbox) -> None:
    # Given a 3-seat policy with a 1 s window and one substitute round
    peers.reviewer.pool = POOL
    api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=2, substitute_rounds=1, min_votes=2)
    case_id = api.report().body["case_id"]
    first = seated(api, case_id, 3)
    assert api.vote(first[0], case_id, "violation").status == 201

    # When the window ends with two silent seats, two substitutes are drawn - nobody invited before
    second = seated(api, case_id, 2, round_=2, timeout=10)
    assert not set(second) & set(first)
    draws = peers.reviewer.calls["draw_panel"]
    assert draws[1]["seats"] == 2 and set(first) | {"alice", "owner-1"} <= set(draws[1]["exclude"])
    expired = api.vote(first[1], case_id, "violation")
    assert (expired.status, expired.code) == (403, "not_invited")

    # Then a substitute's vote reaches votes_to_win and decides
    assert api.vote(second[0], case_id, "violation").body["settled_case"] is True
    message = decisions.wait_for(lambda m: m["body"]["case_id"] == case_id)
    assert message["body"]["decision"] == "violation" and message["body"]["votes_for_violation"] == 2
    assert finished(case_id)["status"] == "SUCCEEDED"
    view = api.case(case_id).body
    statuses = {s["reviewer_id"]: s["status"] for s in view["panel"]}
    assert [statuses[r] for r in first] == ["voted", "expired", "expired"]
    assert "round_closed" in [e["event"] for e in view["timeline"]]
    outcome = peers.reviewer.calls["record_outcomes"][0]
    voters = {v["reviewer_id"] for v in outcome["votes"]}
    assert voters == {first[0], second[0]} and set(outcome["invited"]) - voters == set(first[1:])
    brief = peers.reviewer.calls["draw_panel"][1]
    assert brief["round"] == 2 and brief["reason"] == "fraud" and "13812345678" not in brief["content"]["text"]


def test_no_majority_escalates_and_ops_resolve_it(api: Api, peers: Peers, decisions: Inbox, alerts: Inbox) -> None:
    # Given a 3-seat policy without substitute rounds and a 1 s window
    peers.reviewer.pool = POOL
    api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=1, substitute_rounds=0, min_votes=2)
    accepted = api.report()
    case_id = accepted.body["case_id"]
    panel = seated(api, case_id, 3)
    assert api.vote(panel[0], case_id, "violation").status == 201

    # When the window ends with one vote (below min_votes), the case goes to ops
    alert = alerts.wait_for(lambda m: m["body"]["case_id"] == case_id)
    assert alert["body"]["reason"] == "no_majority" and alert["attributes"]["module"] == "listing"
    listed = eventually(lambda: (lambda r: r if r.body["cases"] and r.body["cases"][0]["status"] == "escalated"
                                 else None)(api.ops("GET", "/v1/cases")))
    assert listed.body["cases"][0]["case_id"] == case_id
    assert api.module("GET", f"/v1/reports/{accepted.body['report_id']}").body["status"] == "escalated"

    # Then ops resolve it and the same decision effects follow
    resolved = api.ops("POST", f"/v1/cases/{case_id}/resolution", {"decision": "no_violation", "note": "satire"})
    assert resolved.status == 200 and resolved.body["decision"] == "no_violation"
    message = decisions.wait_for(lambda m: m["body"]["case_id"] == case_id)
    assert message["attributes"]["decision"] == "no_violation"
    assert finished(case_id)["status"] == "SUCCEEDED"
    again = api.ops("POST", f"/v1/cases/{case_id}/resolution", {"decision": "violation"})
    assert (again.status, again.code) == (409, "case_not_escalated")
    view = api.case(case_id).body
    assert view["resolution"]["by"] == "ops-1" and view["decision"] == "no_violation"
    assert peers.reward.calls[0]["votes"] == [{"reviewer_id": panel[0], "verdict": "violation"}]


def test_without_any_eligible_reviewer_the_case_escalates_at_once(api: Api, peers: Peers, alerts: Inbox) -> None:
    peers.reviewer.pool = ["owner-1", "alice"]  # only people who may never judge this case
    api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=600)
    case_id = api.report().body["case_id"]
    alert = alerts.wait_for(lambda m: m["body"]["case_id"] == case_id, timeout=5)
    assert alert["body"]["reason"] == "no_eligible_reviewers"
    assert api.case(case_id).body["status"] == "escalated"
