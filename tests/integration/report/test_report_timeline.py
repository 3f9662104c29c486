"""GET /v1/cases/{case_id}/timeline on moto: a case's whole history, oldest first (its rewards from the
reward worker), for ops only."""

from __future__ import annotations

from report_harness import Api, Inbox, Peers, finished, seated

POOL = [f"rev-{i:02d}" for i in range(1, 9)]


def test_the_timeline_tells_a_case_from_report_to_resolution_in_order(api: Api, peers: Peers, alerts: Inbox) -> None:
    # Given a 3-seat policy, a 1 s window, one substitute round, and two reports on one target
    peers.reviewer.pool = POOL
    api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=1, substitute_rounds=1, min_votes=2)
    case_id = api.report().body["case_id"]
    assert api.report(reporter="bob").body["aggregated"] is True
    first = seated(api, case_id, 3)
    assert api.vote(first[0], case_id, "violation").status == 201
    seated(api, case_id, 2, round_=2, timeout=10)  # the silent seats expire; two substitutes are drawn
    alerts.wait_for(lambda m: m["body"]["case_id"] == case_id, timeout=15)  # nobody votes: ops decide
    assert api.ops("POST", f"/v1/cases/{case_id}/resolution", {"decision": "violation", "note": "scam"}).status == 200
    finished(case_id)
    assert peers.reward.calls, "the decision granted rewards"

    # When ops read the timeline
    reply = api.ops("GET", f"/v1/cases/{case_id}/timeline")

    # Then every step is there, oldest first
    assert reply.status == 200 and reply.body["case_id"] == case_id
    events = reply.body["events"]
    names = [e["event"] for e in events]
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert names[:2] == ["reported", "aggregated"] and names[2] == "round_opened"
    assert names.count("invited") == 5 and names.count("voted") == 1 and names.count("seat_expired") >= 2
    for later, earlier in [("substitutes_drawn", "seat_expired"), ("escalated", "substitutes_drawn"),
                           ("resolved", "escalated"), ("decided", "resolved"), ("rewards_granted", "decided")]:
        assert names.index(later) > names.index(earlier), (later, earlier)
    voted = events[names.index("voted")]["detail"]
    assert voted == {"reviewer_id": first[0], "round": 1, "verdict": "violation"}
    assert events[names.index("resolved")]["detail"] == {"decision": "violation", "note": "scam", "by": "ops-1"}
    assert events[names.index("reported")]["detail"]["reporter_id"] == "alice"
    rewarded = events[names.index("rewards_granted")]["detail"]
    assert rewarded == {"grants": [{"reviewer_id": first[0], "points": 10}], "points": 10}


def test_the_timeline_is_for_ops_and_for_cases_that_exist(api: Api, peers: Peers) -> None:
    peers.reviewer.pool = POOL
    case_id = api.report().body["case_id"]
    assert (api.user("rev-01", "GET", f"/v1/cases/{case_id}/timeline").code) == "wrong_role"
    assert api.module("GET", f"/v1/cases/{case_id}/timeline").status == 403
    missing = api.ops("GET", "/v1/cases/case-nope/timeline")
    assert (missing.status, missing.code) == (404, "case_not_found")


def test_ops_can_read_a_case_exactly_as_its_reviewers_do(api: Api, peers: Peers) -> None:
    peers.reviewer.pool = POOL
    api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=600, substitute_rounds=0, min_votes=2)
    body = {"reporter_id": "alice", "reason": "fraud", "target": {"module": "listing", "id": "item-9",
            "owner_id": "owner-1", "content": {"text": "call 13812345678, ask owner-1"}}}
    case_id = api.module("POST", "/v1/reports", body).body["case_id"]
    panel = seated(api, case_id, 3)
    full = api.ops("GET", f"/v1/cases/{case_id}").body
    assert "13812345678" in full["target"]["content"]["text"]
    as_reviewer = api.ops("GET", f"/v1/cases/{case_id}", query={"view": "reviewer"})
    seen = api.user(panel[0], "GET", f"/v1/cases/{case_id}").body
    assert as_reviewer.status == 200 and as_reviewer.body["content"] == seen["content"]
    assert "13812345678" not in as_reviewer.body["content"]["text"] and "owner-1" not in str(as_reviewer.body)
    assert as_reviewer.body["my_seat"] == {} and "panel" not in as_reviewer.body
    outsider = api.user("rev-08", "GET", f"/v1/cases/{case_id}", query={"view": "reviewer"})
    assert (outsider.status, outsider.code) == (403, "not_invited")
    bad = api.ops("GET", f"/v1/cases/{case_id}", query={"view": "everything"})
    assert (bad.status, bad.code) == (422, "validation_error")
