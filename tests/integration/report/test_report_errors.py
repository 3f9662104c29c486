"""Every caller mistake of ARCHITECTURE.md §3 about reports, policies and votes: the status, the
error code, and nothing stored (both tables scanned before and after)."""

from __future__ import annotations

from typing import Any

import pytest
from report_harness import Api, Inbox, Peers, finished, parked, scan_all, seated

REPORT = {"reporter_id": "alice", "reason": "fraud",
          "target": {"module": "listing", "id": "item-1", "owner_id": "owner-1",
                     "content": {"text": "cheap", "image_urls": ["https://img.example.com/a.jpg"]}}}


def _with(path: str, value: Any) -> dict[str, Any]:
    """REPORT with one field (dotted path) replaced; `...` deletes it."""
    import copy

    body = copy.deepcopy(REPORT)
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = node[part]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return body


def _check(cases: list[tuple[str, Any, int, str]]) -> None:
    """Each (label, reply, status, code) must match, and the tables must not have changed."""
    wrong = [(label, reply.status, reply.code, reply.body) for label, reply, status, code in cases
             if (reply.status, reply.code) != (status, code)]
    assert not wrong, wrong


def test_refused_reports_store_nothing(api: Api, peers: Peers) -> None:
    api.put_policy(panel_size=1, votes_to_win=1, vote_window_seconds=600)
    first = api.module("POST", "/v1/reports", REPORT, headers={"Idempotency-Key": "key-1"})
    assert first.status == 202
    parked()
    before = scan_all()
    post = lambda body, **kw: api.module("POST", "/v1/reports", body, **kw)  # noqa: E731
    _check([
        ("malformed json", api.module("POST", "/v1/reports", raw_body='{"reporter_id": '), 400, "malformed_json"),
        ("unknown module", post(_with("target.module", "auction")), 422, "unknown_module"),
        ("unknown reason", post(_with("reason", "ugly")), 422, "unknown_reason"),
        ("reason of another module", post(_with("reason", "fake_review")), 422, "unknown_reason"),
        ("missing reporter", post(_with("reporter_id", ...)), 422, "validation_error"),
        ("missing target id", post(_with("target.id", ...)), 422, "validation_error"),
        ("oversize detail", post(_with("detail", "x" * 1001)), 422, "validation_error"),
        ("oversize text", post(_with("target.content.text", "x" * 5001)), 422, "validation_error"),
        ("oversize id", post(_with("target.id", "i" * 129)), 422, "validation_error"),
        ("too many images", post(_with("target.content.image_urls", ["https://a.example/x.png"] * 10)), 422,
         "validation_error"),
        ("http image", post(_with("target.content.image_urls", ["http://img.example.com/a.jpg"])), 422,
         "validation_error"),
        ("javascript image", post(_with("target.content.image_urls", ["javascript:alert(1)"])), 422,
         "validation_error"),
        ("unknown field", post({**REPORT, "severity": "high"}), 422, "validation_error"),
        ("reporter is owner", post(_with("reporter_id", "owner-1")), 422, "self_report"),
        ("key reused, other body", post(_with("reason", "spam"), headers={"Idempotency-Key": "key-1"}), 422,
         "idempotency_key_reused"),
        ("user may not report", api.user("u-1", "POST", "/v1/reports", REPORT), 403, "wrong_role"),
        ("no token", api.call("POST", "/v1/reports", REPORT, sub=None), 401, "missing_token"),
        ("unknown report", api.module("GET", "/v1/reports/rep-nope"), 404, "report_not_found"),
        ("another module's report", api.module("GET", f"/v1/reports/{first.body['report_id']}", sub="chat-svc"),
         404, "report_not_found"),
        ("user reads a report", api.user("u-1", "GET", f"/v1/reports/{first.body['report_id']}"), 403,
         "wrong_role"),
    ])
    assert scan_all() == before


def test_refused_policies_store_nothing(api: Api, peers: Peers) -> None:
    assert api.put_policy("chat", panel_size=17, votes_to_win=9, vote_window_seconds=3600).status == 200
    before = scan_all()
    rules = {"panel_size": 5, "votes_to_win": 3, "vote_window_seconds": 60}
    put = lambda module, body: api.ops("PUT", f"/v1/policies/{module}", body)  # noqa: E731
    _check([
        ("8 seats 4 to win", put("listing", {**rules, "panel_size": 8, "votes_to_win": 4}), 422, "invalid_policy"),
        ("to win above panel", put("listing", {**rules, "votes_to_win": 6}), 422, "invalid_policy"),
        ("min votes above panel", put("listing", {**rules, "min_votes": 6}), 422, "invalid_policy"),
        ("zero window", put("listing", {**rules, "vote_window_seconds": 0}), 422, "validation_error"),
        ("window over 7 days", put("listing", {**rules, "vote_window_seconds": 604801}), 422, "validation_error"),
        ("panel of 100", put("listing", {**rules, "panel_size": 100, "votes_to_win": 60}), 422, "validation_error"),
        ("bad tag", put("listing", {**rules, "reviewer_tags": ["Trusted Users!"]}), 422, "validation_error"),
        ("unknown field", put("listing", {**rules, "quorum": 3}), 422, "validation_error"),
        ("missing field", put("listing", {"panel_size": 5}), 422, "validation_error"),
        ("unknown module", put("auction", rules), 422, "unknown_module"),
        ("malformed json", api.ops("PUT", "/v1/policies/listing", raw_body="{"), 400, "malformed_json"),
        ("module may not", api.module("PUT", "/v1/policies/listing", rules), 403, "wrong_role"),
        ("user may not read", api.user("u-1", "GET", "/v1/policies"), 403, "wrong_role"),
    ])
    assert scan_all() == before
    listed = {p["module"]: p for p in api.ops("GET", "/v1/policies").body["policies"]}
    assert (listed["chat"]["panel_size"], listed["chat"]["votes_to_win"], listed["chat"]["version"]) == (17, 9, 2)
    assert listed["listing"]["version"] == 1  # still the built-in one


def test_refused_votes_store_nothing(api: Api, peers: Peers, decisions: Inbox) -> None:
    # Given an open case where the first reviewer voted, and a decided case
    peers.reviewer.pool = ["rev-1", "rev-2", "rev-3"]
    api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=600)
    open_case = api.report(target_id="item-open").body["case_id"]
    decided_case = api.report(target_id="item-decided").body["case_id"]
    first = seated(api, open_case, 3)
    assert api.vote(first[0], open_case, "violation").status == 201
    second = seated(api, decided_case, 3)
    assert [api.vote(r, decided_case).status for r in second[:2]] == [201, 201]
    decisions.wait_for(lambda m: m["body"]["case_id"] == decided_case)
    finished(decided_case)
    parked()
    before = scan_all()
    path = f"/v1/cases/{open_case}/votes"
    _check([
        ("not on the panel", api.vote("stranger", open_case), 403, "not_invited"),
        ("the owner", api.vote("owner-1", open_case), 403, "not_invited"),
        ("a second vote", api.vote(first[0], open_case, "no_violation"), 409, "already_voted"),
        ("a closed case", api.vote(second[2], decided_case), 409, "case_closed"),
        ("verdict outside the enum", api.vote(first[1], open_case, "maybe"), 422, "validation_error"),
        ("comment over 500", api.vote(first[1], open_case, comment="x" * 501), 422, "validation_error"),
        ("unknown field", api.vote(first[1], open_case, weight=2), 422, "validation_error"),
        ("malformed json", api.user(first[1], "POST", path, raw_body="{verdict"), 400, "malformed_json"),
        ("ops may not vote", api.ops("POST", path, {"verdict": "violation"}), 403, "wrong_role"),
        ("unknown case", api.vote(first[1], "case-missing"), 404, "case_not_found"),
        ("stranger reads the case", api.user("stranger", "GET", f"/v1/cases/{open_case}"), 403, "not_invited"),
        ("unknown case view", api.case("case-missing"), 404, "case_not_found"),
        ("resolve an open case", api.ops("POST", f"/v1/cases/{open_case}/resolution", {"decision": "violation"}),
         409, "case_not_escalated"),
        ("resolve a decided case",
         api.ops("POST", f"/v1/cases/{decided_case}/resolution", {"decision": "violation"}), 409,
         "case_not_escalated"),
        ("user resolves", api.user(first[1], "POST", f"/v1/cases/{open_case}/resolution",
                                   {"decision": "violation"}), 403, "wrong_role"),
        ("bad status filter", api.ops("GET", "/v1/cases", query={"status": "open"}), 422, "validation_error"),
        ("bad cursor", api.ops("GET", "/v1/cases", query={"cursor": "0.garbage"}), 422, "invalid_cursor"),
    ])
    assert scan_all() == before
    # the reviewer who has not voted can still vote afterwards
    assert api.vote(first[1], open_case, "violation").status == 201


@pytest.mark.parametrize("groups", [["user"], "[user]", "user"])
def test_both_forms_of_the_groups_claim_are_understood(api: Api, peers: Peers, groups: Any) -> None:
    reply = api.call("GET", "/v1/cases/case-missing", sub="u-1", groups=groups)
    assert (reply.status, reply.code) == (404, "case_not_found")


def test_a_module_reports_only_content_of_the_module_its_token_speaks_for(api: Api, peers: Peers) -> None:
    # Given a listing report in, the tables as they are (issue 15 #12)
    assert api.module("POST", "/v1/reports", REPORT).status == 202
    parked()
    before = scan_all()
    post = lambda body, **kw: api.module("POST", "/v1/reports", body, **kw)  # noqa: E731
    # When tokens without the claim, with another module's, or with an unknown one report listing content
    _check([
        ("no quorum_module claim", post(REPORT, speaks_for=None), 403, "module_claim_missing"),
        ("an unknown module in the claim", post(REPORT, speaks_for="auction"), 403, "module_claim_missing"),
        ("the chat module reports a listing", post(REPORT, speaks_for="chat", sub="chat-svc"), 403, "wrong_module"),
        ("with an idempotency key too", post(REPORT, speaks_for="chat", headers={"Idempotency-Key": "k-9"}), 403,
         "wrong_module"),
    ])
    # Then nothing is stored, and the chat module may still report chat content
    assert scan_all() == before
    chat = _with("target.module", "chat")
    accepted = post(chat, speaks_for="chat", sub="chat-svc")
    assert accepted.status == 202, accepted.body
