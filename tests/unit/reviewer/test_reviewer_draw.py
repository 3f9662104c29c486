"""The panel draw on in-memory ports: who may be drawn, fatigue caps, uniformity, and read cost."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reviewer_fakes import NOW, FakeReviewerStore, fake_ports

from quorum_reviewer.domain.errors import DrawInProgress
from quorum_reviewer.domain.invitation import Brief, SeatState
from quorum_reviewer.domain.model import Status
from quorum_reviewer.domain.rules import FatigueCaps, ReviewerRules
from quorum_reviewer.service.draw import DrawPanel, draw_panel
from quorum_reviewer.service.ports import RoundRecord
from quorum_reviewer.service.seats import ReleaseSeat, release_seat

# Chi-square critical values at p = 0.001, by degrees of freedom (standard tables).
CHI2_CRITICAL_P001 = {9: 27.877, 19: 43.820}


def chi_square(counts: Counter, categories: list[str]) -> float:
    """Pearson's statistic of observed counts against equal expected counts."""
    total = sum(counts[c] for c in categories)
    expected = total / len(categories)
    return sum((counts[c] - expected) ** 2 / expected for c in categories)


def mixed_pool(store: FakeReviewerStore) -> dict[str, list[str]]:
    """20 profiles: 10 eligible for a `trusted` draw, 10 not, each for a different reason."""
    groups: dict[str, list[str]] = {"eligible": [f"ok{i}" for i in range(10)]}
    for uid in groups["eligible"]:
        store.add(uid, tags=["trusted"])
    groups["untagged"] = ["plain0", "plain1", "plain2"]
    for uid in groups["untagged"]:
        store.add(uid)
    groups["not_active"] = ["paused0", "suspended0", "retired0", "never0"]
    for uid, status in zip(groups["not_active"], [Status.PAUSED, Status.SUSPENDED, Status.RETIRED, None], strict=True):
        store.add(uid, status=status, tags=["trusted"])
    groups["excluded"] = ["reporter0", "owner0"]
    for uid in groups["excluded"]:
        store.add(uid, tags=["trusted"])
    store.add("busy0", tags=["trusted"])
    store.set_counters("busy0", fatigue=store.get("busy0").fatigue.model_copy(update={"open_invitations": 3}))
    groups["at_cap"] = ["busy0"]
    return groups


def test_draw_is_uniform_over_eligible_reviewers_and_never_picks_anyone_else() -> None:
    # Given 10 eligible reviewers among 20, and a seat released after every draw (no fatigue build-up)
    store = FakeReviewerStore(rng=random.Random(2024))
    groups = mixed_pool(store)
    ports, rng = fake_ports(store), random.Random(99)
    counts: Counter = Counter()
    # When 2000 one-seat draws run, each for a new case, an hour apart (daily caps never bind)
    for n in range(2000):
        drawn = draw_panel(DrawPanel(case_id=f"case{n}", seats=1, exclude=frozenset(groups["excluded"]),
                                     tags=("trusted",)), ports, NOW + timedelta(hours=n), rng)
        assert drawn.short_by == 0
        counts.update(drawn.reviewer_ids)
        release_seat(ReleaseSeat(f"case{n}", drawn.reviewer_ids[0], SeatState.VOTED), store, NOW)
    # Then only eligible reviewers were drawn, each about equally often (chi-square, p = 0.001)
    assert set(counts) <= set(groups["eligible"])
    statistic = chi_square(counts, groups["eligible"])
    assert statistic < CHI2_CRITICAL_P001[9], (statistic, counts)


def test_uniformity_test_detects_a_biased_draw() -> None:
    # The statistic used above rejects a draw that favours one reviewer only slightly (1 in 8 vs 1 in 10)
    rng = random.Random(1)
    names = [f"ok{i}" for i in range(10)]
    biased = Counter(names[0] if rng.random() < 0.125 else rng.choice(names[1:]) for _ in range(2000))
    assert chi_square(biased, names) > CHI2_CRITICAL_P001[9]


def test_larger_panels_are_uniform_too() -> None:
    # Given 20 eligible reviewers, when 600 five-seat panels are drawn (seats released after each)
    store = FakeReviewerStore(rng=random.Random(5))
    ids = [f"r{i}" for i in range(20)]
    for uid in ids:
        store.add(uid)
    ports, rng, counts = fake_ports(store), random.Random(6), Counter()
    for n in range(600):
        drawn = draw_panel(DrawPanel(case_id=f"c{n}", seats=5), ports, NOW + timedelta(hours=n), rng)
        assert len(set(drawn.reviewer_ids)) == 5
        counts.update(drawn.reviewer_ids)
        for uid in drawn.reviewer_ids:
            release_seat(ReleaseSeat(f"c{n}", uid, SeatState.EXPIRED), store, NOW)
    # Then each reviewer sits on about a quarter of the panels
    assert chi_square(counts, ids) < CHI2_CRITICAL_P001[19], counts


def test_short_pool_returns_everyone_eligible_and_says_how_many_seats_are_missing() -> None:
    store = FakeReviewerStore()
    groups = mixed_pool(store)
    drawn = draw_panel(DrawPanel(case_id="c1", seats=15, exclude=frozenset(groups["excluded"]), tags=("trusted",)),
                       fake_ports(store), NOW, random.Random(3))
    assert sorted(drawn.reviewer_ids) == sorted(groups["eligible"])
    assert drawn.short_by == 5


def test_no_one_is_invited_twice_to_a_case_across_rounds() -> None:
    store = FakeReviewerStore()
    for i in range(6):
        store.add(f"r{i}")
    ports = fake_ports(store)
    first = draw_panel(DrawPanel(case_id="c1", seats=3, round=0), ports, NOW, random.Random(1))
    second = draw_panel(DrawPanel(case_id="c1", seats=5, round=1), ports, NOW, random.Random(2))
    assert not set(first.reviewer_ids) & set(second.reviewer_ids)
    assert len(second.reviewer_ids) == 3 and second.short_by == 2


def test_a_drawn_round_is_drawn_once_and_returns_its_panel() -> None:
    # Given a round that drew 2 of its 3 seats (one reviewer free at the time)
    store = FakeReviewerStore()
    for i in range(2):
        store.add(f"r{i}")
    ports = fake_ports(store)
    first = draw_panel(DrawPanel(case_id="c1", seats=3, round=0), ports, NOW, random.Random(1))
    store.add("late")
    # When the same round is drawn again (a retry)
    again = draw_panel(DrawPanel(case_id="c1", seats=3, round=0), ports, NOW, random.Random(2))
    # Then it returns the first draw's panel and invites no one else
    assert again == first and first.short_by == 1
    assert [i.reviewer_id for i in store.invitations_for("c1")] == sorted(first.reviewer_ids)


def test_a_round_whose_draw_died_keeps_its_seats_and_fills_the_rest() -> None:
    # Given a draw that took 2 of 3 seats and died before storing its panel; its lease ran out
    store = FakeReviewerStore()
    for i in range(2):
        store.add(f"r{i}")
    ports = fake_ports(store)
    first = draw_panel(DrawPanel(case_id="c1", seats=3, round=0), ports, NOW, random.Random(1))
    store.rounds[("c1", 0)] = (RoundRecord(None), NOW - timedelta(seconds=1))
    store.add("late")
    # When the round is drawn again
    again = draw_panel(DrawPanel(case_id="c1", seats=3, round=0), ports, NOW, random.Random(2))
    # Then it keeps the first two and only fills the missing seat
    assert sorted(again.reviewer_ids[:2]) == sorted(first.reviewer_ids) and again.reviewer_ids[2] == "late"
    assert store.get("r0").fatigue.open_invitations == 1


def test_a_round_still_being_drawn_is_not_drawn_again() -> None:
    # Given a draw of round 0 that holds the round (its invocation still runs)
    store = FakeReviewerStore()
    for i in range(4):
        store.add(f"r{i}")
    store.claim_round("c1", 0, NOW, NOW + timedelta(minutes=1))
    # When a second draw of the round starts, Then it invites no one and asks to be retried
    with pytest.raises(DrawInProgress):
        draw_panel(DrawPanel(case_id="c1", seats=3, round=0), fake_ports(store), NOW, random.Random(2))
    assert store.invitations_for("c1") == []


def test_open_invitation_cap_holds_across_cases() -> None:
    store = FakeReviewerStore(rules_doc=ReviewerRules(fatigue=FatigueCaps(max_open_invitations=2)))
    store.add("solo")
    ports = fake_ports(store)
    results = [draw_panel(DrawPanel(case_id=f"c{n}", seats=1), ports, NOW) for n in range(3)]
    assert [r.reviewer_ids for r in results] == [["solo"], ["solo"], []]
    assert results[2].short_by == 1
    # Releasing one seat makes room again (and releasing it twice frees nothing more)
    assert release_seat(ReleaseSeat("c0", "solo", SeatState.VOTED), store, NOW)
    assert not release_seat(ReleaseSeat("c0", "solo", SeatState.VOTED), store, NOW)
    assert draw_panel(DrawPanel(case_id="c9", seats=1), ports, NOW).reviewer_ids == ["solo"]
    assert draw_panel(DrawPanel(case_id="c10", seats=1), ports, NOW).reviewer_ids == []


def test_daily_assignment_cap_resets_on_the_next_utc_day() -> None:
    store = FakeReviewerStore(rules_doc=ReviewerRules(fatigue=FatigueCaps(max_open_invitations=10,
                                                                          max_assignments_per_day=2)))
    store.add("solo")
    ports = fake_ports(store)
    today = [draw_panel(DrawPanel(case_id=f"c{n}", seats=1), ports, NOW).reviewer_ids for n in range(3)]
    tomorrow = draw_panel(DrawPanel(case_id="c9", seats=1), ports, NOW + timedelta(days=1)).reviewer_ids
    assert today == [["solo"], ["solo"], []] and tomorrow == ["solo"]


def test_invitation_carries_what_the_inbox_shows() -> None:
    store = FakeReviewerStore()
    store.add("r1")
    brief = Brief(module="chat", reason="harassment", content="masked ***", deadline=NOW)
    draw_panel(DrawPanel(case_id="c1", seats=1, brief=brief), fake_ports(store), NOW)
    (invitation,) = store.invitations_for("c1")
    assert invitation.brief.content.text == "masked ***" and invitation.brief.module == "chat"


@pytest.mark.parametrize("tags", [(), ("trusted",)])
def test_items_read_per_draw_stay_flat_as_the_pool_grows(tags: tuple[str, ...]) -> None:
    # Pools of 300 and 3000 profiles, 30% eligible; the median items read per 5-seat draw stays <= 20
    medians = []
    for size in (300, 3000):
        store = FakeReviewerStore(rng=random.Random(size))
        for i in range(size):
            kind = i % 10
            if kind < 3:
                store.add(f"u{i}", tags=["trusted"])
            elif kind < 7 and tags:
                store.add(f"u{i}")  # active, untagged: outside the tag's pool
            elif kind < 7:
                store.add(f"u{i}", tags=["trusted"])
                store.set_counters(f"u{i}", fatigue=store.get(f"u{i}").fatigue.model_copy(update={"open_invitations": 3}))
            else:
                store.add(f"u{i}", status=Status.PAUSED)
        reads = []
        for n in range(40):
            before = store.items_read
            drawn = draw_panel(DrawPanel(case_id=f"c{n}", seats=5, tags=tags), fake_ports(store), NOW, random.Random(n))
            assert drawn.short_by == 0
            reads.append(store.items_read - before)
            for uid in drawn.reviewer_ids:  # the panel votes: its seats are free for the next draw
                release_seat(ReleaseSeat(f"c{n}", uid, SeatState.VOTED), store, NOW)
        medians.append(sorted(reads)[len(reads) // 2])
    assert all(m <= 20 for m in medians), medians
    assert abs(medians[1] - medians[0]) <= 5, medians


@settings(max_examples=60, deadline=None)
@given(seats=st.integers(0, 8), excluded=st.sets(st.integers(0, 9), max_size=10), seed=st.integers(0, 10_000))
def test_draw_never_returns_excluded_ineligible_or_duplicate_reviewers(seats: int, excluded: set[int], seed: int) -> None:
    store = FakeReviewerStore(rng=random.Random(seed))
    for i in range(10):
        store.add(f"r{i}", status=Status.ACTIVE if i % 3 else Status.SUSPENDED)
    exclude = frozenset(f"r{i}" for i in excluded)
    drawn = draw_panel(DrawPanel(case_id="c", seats=seats, exclude=exclude), fake_ports(store), NOW, random.Random(seed))
    eligible = {f"r{i}" for i in range(10) if i % 3} - exclude
    assert len(drawn.reviewer_ids) == len(set(drawn.reviewer_ids)) == min(seats, len(eligible))
    assert set(drawn.reviewer_ids) <= eligible
    assert drawn.short_by == seats - len(drawn.reviewer_ids)
