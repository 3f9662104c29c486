"""Enrollment: who joins the pool, who resumes, who is paused for inactivity."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from quorum_reviewer.domain.model import Profile, Reviewer, Status
from quorum_reviewer.domain.rules import EnrollmentRule


class Step(StrEnum):
    """What one enrollment pass does to one profile."""

    ENROLLED = "enrolled"
    RESUMED = "resumed"
    PAUSED = "paused"
    SKIPPED = "skipped"


def is_inactive(profile: Profile, rule: EnrollmentRule, now: datetime) -> bool:
    """True when the user was last active more than `active_within_days` ago."""
    return now - profile.last_active_at > timedelta(days=rule.active_within_days)


def unmet_requirements(profile: Profile, rule: EnrollmentRule, now: datetime) -> list[str]:
    """The names of the enrollment requirements `profile` fails (empty: eligible)."""
    unmet = []
    if not set(rule.required_tags) <= set(profile.tags):
        unmet.append("missing_tags")
    if is_inactive(profile, rule, now):
        unmet.append("inactive")
    if now - profile.registered_at < timedelta(days=rule.min_account_age_days):
        unmet.append("account_too_new")
    if profile.credit_score < rule.min_credit_score:
        unmet.append("credit_too_low")
    return unmet


def is_eligible(profile: Profile, rule: EnrollmentRule, now: datetime) -> bool:
    """True when `profile` meets every requirement of the enrollment rule."""
    return not unmet_requirements(profile, rule, now)


def enrollment_step(reviewer: Reviewer, rule: EnrollmentRule, now: datetime) -> Step:
    """Newcomers who qualify are enrolled, paused ones who qualify again resume, idle active ones pause."""
    if reviewer.status is None:
        return Step.ENROLLED if is_eligible(reviewer.profile, rule, now) else Step.SKIPPED
    if reviewer.status is Status.PAUSED:
        return Step.RESUMED if is_eligible(reviewer.profile, rule, now) else Step.SKIPPED
    if reviewer.status is Status.ACTIVE and is_inactive(reviewer.profile, rule, now):
        return Step.PAUSED
    return Step.SKIPPED


STATUS_AFTER = {Step.ENROLLED: Status.ACTIVE, Step.RESUMED: Status.ACTIVE, Step.PAUSED: Status.PAUSED}
REASON_OF = {Step.ENROLLED: "meets the enrollment rule", Step.RESUMED: "active again",
             Step.PAUSED: "inactive beyond the enrollment rule's window"}


def apply_step(reviewer: Reviewer, step: Step, by: str, now: datetime) -> Reviewer:
    """The reviewer after `step` (unchanged for `skipped`)."""
    if step is Step.SKIPPED:
        return reviewer
    return reviewer.with_status(STATUS_AFTER[step], REASON_OF[step], by, now)


def apply_profile(current: Reviewer | None, user_id: str, profile: Profile, rule: EnrollmentRule,
                  now: datetime) -> Reviewer:
    """The reviewer after a profile update: new signals; a paused reviewer who qualifies again resumes."""
    updated = current.with_profile(profile) if current else Reviewer(user_id=user_id, profile=profile)
    if updated.status is Status.PAUSED and is_eligible(profile, rule, now):
        return apply_step(updated, Step.RESUMED, "profile", now)
    return updated
