"""Use cases on in-memory ports: profiles, status, enrollment and adjustment sweeps, seats and outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from reviewer_fakes import NOW, FakeReviewerStore, fake_ports, profile

from quorum_common.errors import NotFound
from quorum_reviewer.domain.enrollment import Step
from quorum_reviewer.domain.invitation import Brief, SeatState
from quorum_reviewer.domain.model import Outcome, Status
from quorum_reviewer.domain.rules import QualityRule, ReviewerRules
from quorum_reviewer.service.draw import DrawPanel, draw_panel
from quorum_reviewer.service.ports import Recorded
from quorum_reviewer.service.reviewers import PutProfile, SetStatus, put_profile, set_status, view_reviewer
from quorum_reviewer.service.seats import RecordOutcomes, list_tasks, record_outcomes
from quorum_reviewer.service.sweeps import Sweep, auto_adjust, run_enrollment


@pytest.fixture
def store() -> FakeReviewerStore:
    return FakeReviewerStore()


def test_put_profile_twice_writes_once_and_stores_the_same_state(store: FakeReviewerStore) -> None:
    cmd = PutProfile("u1", profile(tags=["trusted"]))
    first = put_profile(cmd, store, store.rules_view, NOW)
    state = store.get("u1")
    second = put_profile(cmd, store, store.rules_view, NOW)
    assert store.get("u1") == state and store.saves == 1
    assert first.profile == second.profile and second.status is None


def test_put_profile_resumes_a_paused_reviewer_and_puts_them_back_in_the_pool(store: FakeReviewerStore) -> None:
    store.add("u1", status=Status.PAUSED, active_days_ago=30)
    assert not any(uid == "u1" for uid, _ in store.keys)
    put_profile(PutProfile("u1", profile(active_days_ago=0)), store, store.rules_view, NOW)
    assert store.get("u1").status is Status.ACTIVE
    assert draw_panel(DrawPanel(case_id="c", seats=1), fake_ports(store), NOW).reviewer_ids == ["u1"]


def test_set_status_on_an_unknown_user_is_not_found(store: FakeReviewerStore) -> None:
    with pytest.raises(NotFound):
        set_status(SetStatus("ghost", Status.SUSPENDED, "spam", "ops:o"), store, NOW)
    with pytest.raises(NotFound):
        view_reviewer("ghost", store, store.rules_view, NOW)
    assert store.saves == 0


def test_lifting_a_suspension_clears_the_quality_window(store: FakeReviewerStore) -> None:
    store.add("u1", status=Status.SUSPENDED)
    store.set_counters("u1", recent=(Outcome.NO_SHOW,) * 12)
    lifted = set_status(SetStatus("u1", Status.ACTIVE, "appeal accepted", "ops:o"), store, NOW)
    assert lifted.status is Status.ACTIVE and store.get("u1").recent == ()
    assert store.get("u1").note.by == "ops:o"
    # and the next adjustment does not suspend again on the old no-shows
    assert auto_adjust(Sweep(), store, store.rules_view, NOW).moved[Status.SUSPENDED] == []


def test_same_status_twice_changes_nothing(store: FakeReviewerStore) -> None:
    store.add("u1", status=Status.RETIRED)
    saves = store.saves
    set_status(SetStatus("u1", Status.RETIRED, "again", "ops:o"), store, NOW)
    assert store.saves == saves and store.get("u1").note.reason == "test"


def test_enrollment_counts_and_statuses(store: FakeReviewerStore) -> None:
    store.add("new_ok", status=None)
    store.add("new_young", status=None, age_days=10)
    store.add("paused_back", status=Status.PAUSED)
    store.add("paused_idle", status=Status.PAUSED, active_days_ago=20)
    store.add("active_idle", status=Status.ACTIVE, active_days_ago=20)
    store.add("active_ok", status=Status.ACTIVE)
    store.add("suspended", status=Status.SUSPENDED)
    report = run_enrollment(Sweep(page_size=2), store, store.rules_view, NOW)
    assert report.as_dict() == {"enrolled": 1, "resumed": 1, "paused": 1, "skipped": 4, "next_cursor": None}
    statuses = {uid: r.status for uid, r in store.reviewers.items()}
    assert statuses == {"new_ok": Status.ACTIVE, "new_young": None, "paused_back": Status.ACTIVE,
                        "paused_idle": Status.PAUSED, "active_idle": Status.PAUSED, "active_ok": Status.ACTIVE,
                        "suspended": Status.SUSPENDED}
    # a second run finds nothing left to do
    assert run_enrollment(Sweep(), store, store.rules_view, NOW).counts[Step.SKIPPED] == 7


def test_enrollment_stops_when_told_and_continues_from_the_cursor(store: FakeReviewerStore) -> None:
    for i in range(5):
        store.add(f"u{i}", status=None)
    first = run_enrollment(Sweep(page_size=2), store, store.rules_view, NOW, keep_going=lambda: False)
    assert first.counts[Step.ENROLLED] == 2 and first.next_cursor
    rest = run_enrollment(Sweep(cursor=first.next_cursor, page_size=2), store, store.rules_view, NOW)
    assert rest.counts[Step.ENROLLED] == 3 and rest.next_cursor is None


def test_auto_adjust_returns_who_moved_and_tidies_windows(store: FakeReviewerStore) -> None:
    store.rules_doc = ReviewerRules(quality=QualityRule(window=5, min_sample=5))
    store.add("absent")
    store.set_counters("absent", recent=tuple(Outcome(c) for c in "AANNNN"))
    store.add("contrarian")
    store.set_counters("contrarian", recent=tuple(Outcome(c) for c in "DDDAD"))
    store.add("idle", active_days_ago=10)
    store.add("good")
    store.set_counters("good", recent=tuple(Outcome(c) for c in "NNNNAAAAA"))
    report = auto_adjust(Sweep(), store, store.rules_view, NOW)
    assert report.as_dict() == {"paused": ["idle"], "suspended": ["absent", "contrarian"], "next_cursor": None}
    assert store.get("good").status is Status.ACTIVE and len(store.get("good").recent) == 5
    assert store.get("absent").status is Status.SUSPENDED


def test_record_outcomes_counts_each_case_once_and_frees_open_seats(store: FakeReviewerStore) -> None:
    for uid in ("a", "b", "c"):
        store.add(uid)
    draw_panel(DrawPanel(case_id="c1", seats=3), fake_ports(store), NOW)
    cmd = RecordOutcomes(case_id="c1", decision="violation", invited=("a", "b", "c", "ghost"),
                         verdicts={"a": "violation", "b": "no_violation"})
    done = record_outcomes(cmd, store, store, NOW)
    again = record_outcomes(cmd, store, store, NOW)
    assert {k.value: v for k, v in done.counts.items()} == {"recorded": 3, "duplicate": 0, "unknown_reviewer": 1}
    assert done.released == 3 and again.released == 0
    assert again.counts[Recorded.RECORDED] == 0 and again.counts[Recorded.DUPLICATE] == 3
    stats = {uid: store.get(uid).stats.model_dump() for uid in ("a", "b", "c")}
    assert stats == {"a": {"invited": 1, "voted": 1, "no_shows": 0, "agreed": 1},
                     "b": {"invited": 1, "voted": 1, "no_shows": 0, "agreed": 0},
                     "c": {"invited": 1, "voted": 0, "no_shows": 1, "agreed": 0}}
    assert all(store.get(uid).fatigue.open_invitations == 0 for uid in ("a", "b", "c"))
    assert {i.reviewer_id: i.state for i in store.invitations_for("c1")} == {
        "a": SeatState.VOTED, "b": SeatState.VOTED, "c": SeatState.EXPIRED}


def test_inbox_shows_open_unexpired_invitations_soonest_first(store: FakeReviewerStore) -> None:
    store.add("me")
    ports = fake_ports(store)
    for case, hours in (("later", 5), ("sooner", 1), ("past", -1)):
        draw_panel(DrawPanel(case_id=case, seats=1, brief=Brief(module="post", deadline=NOW + timedelta(hours=hours))),
                   ports, NOW - timedelta(hours=2))
    assert [i.case_id for i in list_tasks("me", store, NOW)] == ["sooner", "later"]
