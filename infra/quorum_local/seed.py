"""Demo data for the local cloud, loaded through the public API as a module and ops would.

Policies and reward rules come from the services' own defaults; this adds a reviewer pool and
points-mall items so a newcomer can follow the README at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from quorum_local.journeys import Mint

DEMO_REVIEWERS = 40
MALL_ITEMS = {
    "coupon-5": {"name": "5-yuan shipping coupon", "cost_points": 50, "stock": 500},
    "badge-juror": {"name": "Community juror badge", "cost_points": 100, "stock": 1000},
    "coupon-20": {"name": "20-yuan purchase coupon", "cost_points": 200, "stock": 100},
    "tote-bag": {"name": "Quorum tote bag", "cost_points": 500, "stock": 20},
}


def demo_profile(index: int, now: datetime) -> dict[str, Any]:
    tags = ["trusted"] if index % 3 == 0 else []
    return {"tags": tags, "last_active_at": (now - timedelta(hours=index)).isoformat(),
            "registered_at": (now - timedelta(days=400 + index)).isoformat(), "credit_score": 700 + index}


def seed_demo_data(api_url: str, mint: Mint, progress: Callable[[str], None] = print) -> None:
    """Profiles for a reviewer pool, an enrollment run, and the mall catalogue."""
    module = {"Authorization": f"Bearer {mint('module-demo', ['module'], module='listing')}"}
    ops = {"Authorization": f"Bearer {mint('ops-seed', ['ops'])}"}
    now = datetime.now(UTC)
    for i in range(1, DEMO_REVIEWERS + 1):
        _put(f"{api_url}/v1/users/demo-reviewer-{i:02d}/profile", demo_profile(i, now), module)
    progress(f"{DEMO_REVIEWERS} demo user profiles")
    enrolled = requests.post(f"{api_url}/v1/reviewers/enrollments", json={}, headers=ops, timeout=60)
    progress(f"enrollment: {enrolled.status_code} {enrolled.text[:200]}")
    for item_id, item in MALL_ITEMS.items():
        _put(f"{api_url}/v1/mall/items/{item_id}", item, ops)
    progress(f"{len(MALL_ITEMS)} points-mall items")


def _put(url: str, body: dict[str, Any], headers: dict[str, str]) -> None:
    response = requests.put(url, json=body, headers=headers, timeout=30)
    if response.status_code >= 300:
        raise RuntimeError(f"seeding {url} failed: {response.status_code} {response.text[:300]}")
