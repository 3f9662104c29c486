"""Pure rules: enrollment eligibility, pausing, quality suspension, fatigue caps and draw paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from reviewer_fakes import NOW, profile

from quorum_common.vocabulary import utc_day
from quorum_reviewer.domain.adjustment import adjustment_for, needs_tidy
from quorum_reviewer.domain.draw import Candidate, is_candidate, page_size, pool_for, read_budget
from quorum_reviewer.domain.enrollment import Step, apply_profile, enrollment_step, unmet_requirements
from quorum_reviewer.domain.fatigue import has_capacity
from quorum_reviewer.domain.model import Outcome, Profile, Reviewer, Status
from quorum_reviewer.domain.quality import outcome_of, rates, stats_delta, suspension_reason
from quorum_reviewer.domain.rules import EnrollmentRule, FatigueCaps, QualityRule, ReviewerRules

RULE = EnrollmentRule()


# ---------------------------------------------------------------------- enrollment
@pytest.mark.parametrize(("changes", "unmet"), [
    ({}, []),
    ({"active_days_ago": 7}, []),                       # active exactly 7 days ago still counts
    ({"active_days_ago": 7.01}, ["inactive"]),
    ({"age_days": 90}, []),                             # exactly 90 days old is old enough
    ({"age_days": 89.9}, ["account_too_new"]),
    ({"credit": 600}, []),
    ({"credit": 599}, ["credit_too_low"]),
    ({"credit": 10, "age_days": 30, "active_days_ago": 30}, ["inactive", "account_too_new", "credit_too_low"]),
])
def test_default_enrollment_rule(changes: dict, unmet: list[str]) -> None:
    assert unmet_requirements(profile(**changes), RULE, NOW) == unmet


def test_required_tags_must_all_be_carried() -> None:
    rule = EnrollmentRule(required_tags=("verified", "trusted"))
    assert unmet_requirements(profile(tags=["trusted"]), rule, NOW) == ["missing_tags"]
    assert unmet_requirements(profile(tags=["trusted", "verified", "seller"]), rule, NOW) == []


@pytest.mark.parametrize(("status", "eligible", "step"), [
    (None, True, Step.ENROLLED), (None, False, Step.SKIPPED),
    (Status.PAUSED, True, Step.RESUMED), (Status.PAUSED, False, Step.SKIPPED),
    (Status.ACTIVE, True, Step.SKIPPED), (Status.ACTIVE, False, Step.PAUSED),
    (Status.SUSPENDED, True, Step.SKIPPED), (Status.RETIRED, True, Step.SKIPPED),
])
def test_enrollment_step(status: Status | None, eligible: bool, step: Step) -> None:
    reviewer = Reviewer(user_id="u", profile=profile(active_days_ago=1 if eligible else 30), status=status)
    assert enrollment_step(reviewer, RULE, NOW) is step


def test_active_reviewer_with_low_credit_is_not_paused_only_inactivity_pauses() -> None:
    reviewer = Reviewer(user_id="u", profile=profile(credit=100), status=Status.ACTIVE)
    assert enrollment_step(reviewer, RULE, NOW) is Step.SKIPPED


def test_profile_update_resumes_a_paused_reviewer_who_qualifies_again() -> None:
    paused = Reviewer(user_id="u", profile=profile(active_days_ago=30), status=Status.PAUSED)
    resumed = apply_profile(paused, "u", profile(active_days_ago=0), RULE, NOW)
    assert resumed.status is Status.ACTIVE and resumed.note.by == "profile"
    still_idle = apply_profile(paused, "u", profile(active_days_ago=20), RULE, NOW)
    assert still_idle.status is Status.PAUSED


def test_profile_update_never_lifts_a_suspension_and_never_enrolls() -> None:
    suspended = Reviewer(user_id="u", profile=profile(active_days_ago=30), status=Status.SUSPENDED)
    assert apply_profile(suspended, "u", profile(), RULE, NOW).status is Status.SUSPENDED
    assert apply_profile(None, "u", profile(), RULE, NOW).status is None


def test_profile_tags_are_a_set() -> None:
    assert Profile(tags=("b", "a", "b"), last_active_at=NOW, registered_at=NOW, credit_score=1).tags == ("a", "b")
    for bad in (["Trusted"], ["a b"], ["-a"], ["a" * 33], [f"t{i}" for i in range(21)]):
        with pytest.raises(ValidationError):
            Profile(tags=bad, last_active_at=NOW, registered_at=NOW, credit_score=1)


# ---------------------------------------------------------------------- quality
def test_outcomes_and_stats_deltas() -> None:
    assert outcome_of(None, "violation") is Outcome.NO_SHOW
    assert outcome_of("violation", "violation") is Outcome.AGREED
    assert outcome_of("no_violation", "violation") is Outcome.DISAGREED
    assert stats_delta(Outcome.AGREED).model_dump() == {"invited": 1, "voted": 1, "no_shows": 0, "agreed": 1}
    assert stats_delta(Outcome.NO_SHOW).model_dump() == {"invited": 1, "voted": 0, "no_shows": 1, "agreed": 0}


def _with_window(outcomes: str, status: Status = Status.ACTIVE) -> Reviewer:
    return Reviewer(user_id="u", profile=profile(), status=status, recent=tuple(Outcome(c) for c in outcomes))


def test_rates_of_a_window() -> None:
    r = rates(tuple(Outcome(c) for c in "AADNN"))
    assert (r.sample, r.votes, r.no_show_rate, r.disagreement_rate) == (5, 3, 0.4, pytest.approx(1 / 3))
    assert rates(()).no_show_rate == 0.0


def test_suspension_needs_the_minimum_sample_and_a_rate_beyond_the_threshold() -> None:
    rule = QualityRule(window=10, min_sample=4, max_no_show_rate=0.5, max_disagreement_rate=0.5)
    assert suspension_reason(_with_window("NNN"), rule) is None                  # too few outcomes
    assert suspension_reason(_with_window("NNAA"), rule) is None                 # 0.5 is not beyond 0.5
    assert "no-show" in suspension_reason(_with_window("NNNA"), rule)
    assert "disagreement" in suspension_reason(_with_window("DDDA"), rule)
    assert suspension_reason(_with_window("DDDN"), rule) is None                 # only 3 votes
    assert suspension_reason(_with_window("NNNNNNAAAAAAAAAA"), rule) is None     # old no-shows left the window
    assert suspension_reason(_with_window("NNNN", Status.RETIRED), rule) is None


def test_quality_rule_refuses_a_sample_larger_than_the_window() -> None:
    with pytest.raises(ValidationError):
        QualityRule(window=5, min_sample=6)


def test_adjustment_suspends_before_it_pauses() -> None:
    rules = ReviewerRules(quality=QualityRule(window=4, min_sample=4))
    idle_and_absent = _with_window("NNNN").model_copy(update={"profile": profile(active_days_ago=30)})
    assert adjustment_for(idle_and_absent, rules, NOW)[0] is Status.SUSPENDED
    idle = idle_and_absent.model_copy(update={"recent": ()})
    assert adjustment_for(idle, rules, NOW)[0] is Status.PAUSED
    assert adjustment_for(_with_window("AAAA"), rules, NOW) is None


def test_tidy_is_needed_only_for_long_windows_or_old_day_counters() -> None:
    r = _with_window("A" * 5)
    assert not needs_tidy(r, 5, "2025-06-01") and needs_tidy(r, 4, "2025-06-01")
    old = r.model_copy(update={"fatigue": r.fatigue.model_copy(update={"daily": {"2025-05-31": 2}})})
    assert needs_tidy(old, 5, "2025-06-01")


# ---------------------------------------------------------------------- fatigue and draw filters
def test_fatigue_caps() -> None:
    caps = FatigueCaps(max_open_invitations=3, max_assignments_per_day=20)
    assert has_capacity(2, 19, caps)
    assert not has_capacity(3, 0, caps)
    assert not has_capacity(0, 20, caps)


def test_utc_day_uses_utc_whatever_the_offset() -> None:
    from datetime import timezone
    late_evening_in_beijing = NOW.replace(hour=23).astimezone(timezone(timedelta(hours=8)))
    assert utc_day(late_evening_in_beijing) == "2025-06-01"


def _candidate(**kw: object) -> Candidate:
    return Candidate(**{"user_id": "u", "entry": "PROFILE", "draw_key": 0.5, "tags": frozenset({"trusted"}),
                        "open_invitations": 0, "assigned_today": 0, **kw})


def test_candidate_filter() -> None:
    caps = FatigueCaps()
    assert is_candidate(_candidate(), set(), ("trusted",), caps)
    assert not is_candidate(_candidate(), {"u"}, (), caps)                       # excluded or invited
    assert not is_candidate(_candidate(), set(), ("trusted", "chat"), caps)      # missing a tag
    assert not is_candidate(_candidate(open_invitations=3), set(), (), caps)      # open cap
    assert not is_candidate(_candidate(assigned_today=20), set(), (), caps)       # daily cap
    assert is_candidate(_candidate(open_invitations=None, assigned_today=None), set(), (), caps)  # tag entry: no hints


def test_pool_choice() -> None:
    assert pool_for(()) == "POOL#active"
    assert pool_for(("trusted", "verified")) == "POOL#active#tag:trusted"


@given(need=st.integers(1, 101), read=st.integers(0, 5000), chosen_share=st.floats(0, 1))
def test_page_size_is_bounded_and_covers_the_open_seats_at_full_success(need: int, read: int, chosen_share: float) -> None:
    size = page_size(need, read, int(read * chosen_share))
    assert 2 <= size <= 100
    assert page_size(need, 0, 0) == min(100, need + 1)
    assert read_budget(need) >= 40 * need


def test_invitation_brief_takes_the_report_vocabulary_and_bounds_it() -> None:
    from quorum_reviewer.domain.invitation import Brief

    brief = Brief(module="listing", reason="prohibited_item", content="masked text")
    assert brief.content.text == "masked text" and brief.reason == "prohibited_item"
    for bad in ({"reason": "Not A Code"}, {"content": {"text": "x" * 4001}},
                {"content": {"image_urls": ["http://insecure.example/a.png"]}}, {"content": {"owner_id": "u1"}}):
        with pytest.raises(ValidationError):
            Brief(**bad)
