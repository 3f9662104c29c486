"""Balanced panels: the region cap of one round, `strict` and `prefer`, reviewers without a region."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from reviewer_fakes import NOW, FakeReviewerStore, fake_ports
from test_reviewer_draw import CHI2_CRITICAL_P001, chi_square

from quorum_reviewer.domain.balance import Balance, RegionTally, region_cap
from quorum_reviewer.domain.invitation import SeatState
from quorum_reviewer.service.draw import DrawPanel, draw_panel
from quorum_reviewer.service.seats import ReleaseSeat, release_seat


@pytest.mark.parametrize(("share", "seats", "cap"), [
    (0.4, 5, 2), (0.6, 5, 3), (0.2, 5, 1), (0.5, 3, 2), (0.01, 5, 1), (0.3, 10, 3), (0.99, 5, 5), (1.0, 5, None),
])
def test_region_cap_is_the_ceiling_of_share_times_seats(share: float, seats: int, cap: int | None) -> None:
    # 0.6 x 5 is 3.0000000000000004 in floats: the cap is still 3, and never below one seat
    assert region_cap(share, seats) == cap


def test_a_reviewer_without_region_is_never_capped() -> None:
    tally = RegionTally.of(0.2, 5, seated=["eu", None, None])
    assert not tally.fits("eu")
    assert tally.fits("us")
    assert tally.fits(None)


def regional_pool(store: FakeReviewerStore, per_region: dict[str | None, int]) -> dict[str, str | None]:
    region_of: dict[str, str | None] = {}
    for region, n in per_region.items():
        for i in range(n):
            uid = f"{region or 'none'}{i}"
            store.add(uid, region=region)
            region_of[uid] = region
    return region_of


def draw_many(store: FakeReviewerStore, cases: int, seats: int, share: float, balance: Balance,
              rng_seed: int = 3) -> list[list[str]]:
    ports, rng, panels = fake_ports(store), random.Random(rng_seed), []
    for n in range(cases):
        drawn = draw_panel(DrawPanel(case_id=f"case{n}", seats=seats, max_region_share=share, balance=balance),
                           ports, NOW + timedelta(hours=n), rng)
        panels.append(drawn.reviewer_ids)
        for reviewer_id in drawn.reviewer_ids:
            release_seat(ReleaseSeat(f"case{n}", reviewer_id, SeatState.VOTED), store, NOW)
    return panels


@pytest.mark.parametrize("balance", [Balance.STRICT, Balance.PREFER])
def test_no_region_fills_more_than_its_share_when_enough_others_exist(balance: Balance) -> None:
    # Given a pool dominated by one region (12 of 20) and 0.4 of a 5-seat panel (2 seats) per region
    store = FakeReviewerStore(rng=random.Random(11))
    region_of = regional_pool(store, {"eu": 12, "us": 4, "asia": 4})
    # When 200 panels are drawn
    panels = draw_many(store, 200, 5, 0.4, balance)
    # Then every panel is full and no region holds more than 2 seats
    for panel in panels:
        assert len(panel) == 5
        assert max(Counter(region_of[r] for r in panel).values()) <= 2, panel


def test_strict_leaves_seats_empty_rather_than_exceed_the_cap() -> None:
    # Given only two regions: 2 seats each at most, so a 5-seat panel can seat 4
    store = FakeReviewerStore(rng=random.Random(12))
    region_of = regional_pool(store, {"eu": 6, "us": 6})
    ports = fake_ports(store)
    drawn = draw_panel(DrawPanel(case_id="c1", seats=5, max_region_share=0.4, balance=Balance.STRICT),
                       ports, NOW, random.Random(1))
    assert drawn.short_by == 1
    assert sorted(Counter(region_of[r] for r in drawn.reviewer_ids).values()) == [2, 2]


def test_prefer_fills_the_panel_with_over_cap_reviewers_when_the_walk_ends_short() -> None:
    # Same pool: `prefer` rather seats a third reviewer of one region than leave a seat empty
    store = FakeReviewerStore(rng=random.Random(12))
    region_of = regional_pool(store, {"eu": 6, "us": 6})
    drawn = draw_panel(DrawPanel(case_id="c1", seats=5, max_region_share=0.4, balance=Balance.PREFER),
                       fake_ports(store), NOW, random.Random(1))
    assert drawn.short_by == 0
    assert sorted(Counter(region_of[r] for r in drawn.reviewer_ids).values()) == [2, 3]


def test_reviewers_without_region_fill_any_number_of_seats() -> None:
    # Given 2 regional reviewers and many without a region, strict 0.2 (1 seat per region)
    store = FakeReviewerStore(rng=random.Random(13))
    region_of = regional_pool(store, {"eu": 2, None: 8})
    for panel in draw_many(store, 50, 5, 0.2, Balance.STRICT):
        assert len(panel) == 5  # the unregioned fill the rest: they are not capped
        assert sum(region_of[r] == "eu" for r in panel) <= 1


def test_a_retried_round_counts_the_reviewers_it_already_seated() -> None:
    # Given a round that already seated two `eu` reviewers (a draw of round 0 that stopped half way)
    store = FakeReviewerStore(rng=random.Random(14))
    region_of = regional_pool(store, {"eu": 6, "us": 6})
    ports = fake_ports(store)
    us = frozenset(u for u, g in region_of.items() if g == "us")
    first = draw_panel(DrawPanel(case_id="c1", seats=2, round=0, exclude=us), ports, NOW, random.Random(2))
    store.rounds.clear()  # as if the round's record was lost with the invocation that drew it
    # When the round is drawn again for its 5 seats with 0.4 per region, strictly
    drawn = draw_panel(DrawPanel(case_id="c1", seats=5, round=0, max_region_share=0.4, balance=Balance.STRICT),
                       ports, NOW, random.Random(3))
    # Then the two seated `eu` reviewers count: no third `eu`, two `us`, one seat short
    assert drawn.reviewer_ids[:2] == first.reviewer_ids
    assert Counter(region_of[r] for r in drawn.reviewer_ids) == Counter({"eu": 2, "us": 2})
    assert drawn.short_by == 1


def test_the_draw_stays_uniform_within_a_capped_region() -> None:
    # Given 10 `eu` and 10 `us` reviewers, strict 0.4 of 5 seats: 2 of each region per panel (plus one short)
    store = FakeReviewerStore(rng=random.Random(15))
    region_of = regional_pool(store, {"eu": 10, "us": 10})
    counts = Counter(r for panel in draw_many(store, 500, 5, 0.4, Balance.STRICT, rng_seed=8) for r in panel)
    # Then within each region every reviewer sits about equally often (chi-square, p = 0.001)
    for region in ("eu", "us"):
        members = [u for u, g in region_of.items() if g == region]
        assert chi_square(counts, members) < CHI2_CRITICAL_P001[9], counts


def test_the_read_budget_is_unchanged_by_the_cap() -> None:
    # Given 600 reviewers of one region and strict 0.2: the walk cannot fill the panel, and stops at the budget
    store = FakeReviewerStore(rng=random.Random(16))
    regional_pool(store, {"eu": 600})
    drawn = draw_panel(DrawPanel(case_id="c1", seats=5, max_region_share=0.2, balance=Balance.STRICT),
                       fake_ports(store), NOW, random.Random(4))
    assert drawn.short_by == 4
    assert store.items_read <= 200 + 100  # the read budget, plus at most one page past it
