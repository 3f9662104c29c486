"""`quorum-local run --state DIR` keeps the data across Ctrl-C and a new start: the cases, the ledger and the
reviewers are as they were, and a case that was still open goes on to a decision (issue 15, item 17)."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from e2e_cloud import SECRET, LocalCloudProcess, _wait_until_healthy

from quorum_local.child import RUN, child_environment
from quorum_local.cli import mint_local_token
from quorum_local.journeys import Journey
from quorum_local.server import free_port
from quorum_local.template import ROOT

POLICY = {"panel_size": 3, "votes_to_win": 2, "min_votes": 2, "vote_window_seconds": 600, "substitute_rounds": 0}


def _mint(sub: str, groups: list[str], module: str | None = None) -> str:
    return mint_local_token(sub, groups, secret=SECRET, module=module)


@contextmanager
def _running(state: Path | None, ports: tuple[int, int]) -> Iterator[tuple[LocalCloudProcess, list[str]]]:
    """The local cloud as `make run` starts it; on leaving, stopped with Ctrl-C. Yields it and, once stopped,
    its output lines (filled in on exit)."""
    args = [*RUN, *(["--state", str(state)] if state else [])]
    process = subprocess.Popen(args, cwd=ROOT, env=child_environment(*ports, SECRET), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    cloud, output = LocalCloudProcess(f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}", process), []
    try:
        _wait_until_healthy(cloud)
        yield cloud, output
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
        output.extend(out.splitlines())
        assert process.returncode == 0, out[-3000:]


def _get(url: str, sub: str, group: str) -> Any:
    answer = requests.get(url, headers={"Authorization": f"Bearer {_mint(sub, [group])}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _what_a_user_sees(api: str, decided: str, open_case: str, voter: str) -> dict[str, Any]:
    return {
        "decided case": _get(f"{api}/v1/cases/{decided}", "ops-restart", "ops"),
        "decided timeline": _get(f"{api}/v1/cases/{decided}/timeline", "ops-restart", "ops"),
        "voter's ledger": _get(f"{api}/v1/rewards/me", voter, "user"),
        "voter as a reviewer": _get(f"{api}/v1/reviewers/{voter}", "ops-restart", "ops"),
        "open case's panel": [s["reviewer_id"] for s in _get(f"{api}/v1/cases/{open_case}", "ops-restart", "ops")["panel"]],
    }


def test_a_restart_with_a_saved_state_finds_cases_ledger_and_reviewers_as_they_were(tmp_path: Path) -> None:
    state, ports = tmp_path / "state", (free_port(), free_port())
    # Given: a case decided by its panel (points in the voters' ledger) and one still waiting for votes
    with _running(state, ports) as (cloud, first_output):
        listing, post = Journey(cloud.api_url, _mint, "listing"), Journey(cloud.api_url, _mint, "post")
        for journey in (listing, post):
            journey.set_policy(**POLICY)
            journey.enroll_pool(3)
        decided = listing.report("item-restart-1", "reporter-1")["case_id"]
        voters = listing.seats(decided, 1, 3)
        for voter in voters[:2]:
            assert listing.vote(decided, voter, "violation").status_code == 201
        listing.wait_for_status(decided, "decided")
        open_case = post.report("post-restart-1", "reporter-2")["case_id"]
        open_panel = post.seats(open_case, 1, 3)
        before = _what_a_user_sees(cloud.api_url, decided, open_case, voters[0])
    assert before["voter's ledger"]["balance"] > 0
    assert any(line.strip().startswith("+ saved ") for line in first_output), first_output[-5:]

    # When: it starts again on the same state
    with _running(state, ports) as (cloud, _):
        after = _what_a_user_sees(cloud.api_url, decided, open_case, voters[0])
        assert after == before
        # and the open case still reaches a decision from its panel's votes
        for reviewer in open_panel[:2]:
            assert post.vote(open_case, reviewer, "no_violation").status_code == 201
        assert post.wait_for_status(open_case, "decided")["decision"] == "no_violation"


def test_without_a_state_the_banner_says_the_data_is_in_memory_only() -> None:
    with _running(None, (free_port(), free_port())) as (cloud, output):
        assert _get(f"{cloud.api_url}/v1/health", "anyone", "user")
    banner = "\n".join(output)
    assert "Data      in memory only: Ctrl-C ends it" in banner and "--state DIR" in banner
