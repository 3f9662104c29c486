"""The voting lifecycle with the real reviewer and reward capabilities behind the state machine.

The other integration tests put fakes in front of the peers to choose the panel; this one
seeds a reviewer pool through the reviewer API and lets the real draw, seat release, quality
stats and exactly-once grants run, checked through each capability's own HTTP API.
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from report_harness import Api, Inbox, eventually, finished, seated

# Found, not imported: a handler module imported before the stack sets the environment would
# build its Metrics without a namespace.
pytestmark = pytest.mark.skipif(
    not all(importlib.util.find_spec(name) for name in ("quorum_reviewer", "quorum_reward")),
    reason="the reviewer and reward capabilities are not in this tree")

REVIEWERS = [f"juror-{i}" for i in range(1, 6)]


@pytest.fixture
def apis(stack: Any) -> tuple[Api, Api, Api]:
    return (Api(), Api("quorum-local-reviewer-api", "quorum_reviewer.handlers.api.handler"),
            Api("quorum-local-reward-api", "quorum_reward.handlers.api.handler"))


def _enroll(reviewer_api: Api) -> None:
    now = datetime.now(UTC)
    for user in REVIEWERS:
        profile = {"tags": ["trusted"], "last_active_at": (now - timedelta(hours=1)).isoformat(),
                   "registered_at": (now - timedelta(days=400)).isoformat(), "credit_score": 800}
        assert reviewer_api.module("PUT", f"/v1/users/{user}/profile", profile).status == 200
    assert reviewer_api.ops("POST", "/v1/reviewers/enrollments", {}).status == 200


def test_a_case_runs_end_to_end_with_the_real_reviewer_and_reward_services(apis: tuple[Api, Api, Api],
                                                                          decisions: Inbox) -> None:
    report_api, reviewer_api, reward_api = apis
    _enroll(reviewer_api)
    report_api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=600, substitute_rounds=0)
    case_id = report_api.report().body["case_id"]
    panel = seated(report_api, case_id, 3)
    assert set(panel) <= set(REVIEWERS)

    # the reviewer service filed the round's brief in each panel member's inbox, masked
    tasks = reviewer_api.user(panel[2], "GET", "/v1/reviewer/tasks").body
    mine = next(t for t in _task_list(tasks) if t["case_id"] == case_id)
    assert "13812345678" not in str(mine) and mine.get("module") == "listing"

    assert [report_api.vote(r, case_id, "violation").status for r in panel[:2]] == [201, 201]
    message = decisions.wait_for(lambda m: m["body"]["case_id"] == case_id)
    assert message["body"]["decision"] == "violation"
    assert finished(case_id)["status"] == "SUCCEEDED"  # grants and outcomes were applied

    balances = [reward_api.user(r, "GET", "/v1/rewards/me").body["balance"] for r in panel]
    assert balances[0] > 0 and balances[1] > 0 and balances[2] == 0
    stats = report_api.case(case_id).body["reviewer_stats"]
    assert stats and stats[panel[0]]["voted"] == 1
    assert stats[panel[2]].get("no_shows", 0) == 0  # a seat cut short by the decision is no no-show
    assert not [t for t in _task_list(reviewer_api.user(panel[2], "GET", "/v1/reviewer/tasks").body)
                if t["case_id"] == case_id]


def _task_list(body: Any) -> list[dict[str, Any]]:
    return body.get("tasks", body.get("items", [])) if isinstance(body, dict) else body


def test_a_juror_who_reports_the_case_leaves_the_inbox_and_a_real_substitute_takes_the_seat(
        apis: tuple[Api, Api, Api]) -> None:
    report_api, reviewer_api, _ = apis
    _enroll(reviewer_api)
    report_api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=600, substitute_rounds=0)
    case_id = report_api.report().body["case_id"]
    panel = seated(report_api, case_id, 3)

    assert report_api.report(reporter=panel[0]).status == 202
    assert report_api.vote(panel[0], case_id).code == "seat_recused"
    seats = eventually(lambda: (lambda s: s if len(s) == 4 else None)(report_api.case(case_id).body["panel"]))
    [substitute] = [s["reviewer_id"] for s in seats if s["reviewer_id"] not in panel]
    assert substitute in REVIEWERS and {s["reviewer_id"]: s["status"] for s in seats}[panel[0]] == "recused"
    # the reviewer service filed the brief in the substitute's inbox and took it out of the recused juror's
    assert [t for t in _task_list(reviewer_api.user(substitute, "GET", "/v1/reviewer/tasks").body)
            if t["case_id"] == case_id]
    assert not [t for t in _task_list(reviewer_api.user(panel[0], "GET", "/v1/reviewer/tasks").body)
                if t["case_id"] == case_id]
