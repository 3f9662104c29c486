"""Balanced panels over HTTP on the local cloud: with `max_region_share: 0.4`, no 5-seat panel seats
more than 2 reviewers of one region, over many cases, though one region is half the pool."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import requests
from e2e_cloud import LocalCloudProcess

from quorum_local.journeys import DecisionInbox, Journey

REGIONS = {"eu": 10, "us": 5, "asia": 5}
CASES = 10


def enroll_regional_pool(journey: Journey) -> dict[str, str]:
    """Reviewers of the journey's tag, `REGIONS[r]` of each region, fed by the module and enrolled by ops."""
    now, region_of = datetime.now(UTC), {}
    for region, size in REGIONS.items():
        for i in range(size):
            user = f"{journey.tag}-{region}{i}"
            profile = {"tags": [journey.tag], "region": region, "credit_score": 800,
                       "last_active_at": (now - timedelta(hours=1)).isoformat(),
                       "registered_at": (now - timedelta(days=400)).isoformat()}
            reply = requests.put(journey.url(f"/v1/users/{user}/profile"), json=profile, headers=journey.module_auth,
                                 timeout=10)
            assert reply.status_code == 200 and reply.json()["profile"]["region"] == region, reply.text
            region_of[user] = region
    assert requests.post(journey.url("/v1/reviewers/enrollments"), json={}, headers=journey.ops,
                         timeout=60).status_code == 200
    return region_of


def test_no_region_holds_more_than_its_share_of_a_panel(local_cloud: LocalCloudProcess) -> None:
    # Given a review policy of 5 seats with at most 0.4 of them (2) per region, and a pool half `eu`
    journey = Journey(local_cloud.api_url, local_cloud.mint, "review")
    policy = journey.set_policy(panel_size=5, votes_to_win=3, vote_window_seconds=300, substitute_rounds=0,
                                min_votes=3, max_region_share=0.4)
    assert (policy["max_region_share"], policy["balance"]) == (0.4, "prefer")
    region_of = enroll_regional_pool(journey)
    inbox = DecisionInbox(local_cloud.aws_url, "review")
    panels = []
    # When many cases are reported and each is decided by its panel (which frees the seats)
    for n in range(CASES):
        report = journey.report(f"review-{uuid.uuid4().hex[:8]}", f"buyer-{n}", reason="fake_review")
        panel = journey.seats(report["case_id"], 1, 5)
        panels.append(panel)
        for reviewer in panel[:3]:
            assert journey.vote(report["case_id"], reviewer, "violation").status_code == 201
        assert inbox.wait_for(report["case_id"], deadline_s=30)["decision"] == "violation"
    # Then every panel is full, drawn from the pool, and no region holds more than 2 of its 5 seats
    for panel in panels:
        counts = Counter(region_of[r] for r in panel)
        assert len(panel) == 5 and max(counts.values()) <= 2, (panel, counts)
    # And `eu`, half the pool, sat in panels all the same (the cap limits a region; it does not exclude it)
    assert any(region_of[r] == "eu" for panel in panels for r in panel)
