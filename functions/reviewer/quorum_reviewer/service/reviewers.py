"""Use cases on single reviewers: profile updates from modules, status changes and views for ops."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from quorum_common.errors import NotFound
from quorum_common.vocabulary import utc_day
from quorum_reviewer.domain.enrollment import apply_profile
from quorum_reviewer.domain.errors import ConcurrentUpdate
from quorum_reviewer.domain.model import Profile, Reviewer, Status
from quorum_reviewer.domain.quality import QualityRates, rates, window_of
from quorum_reviewer.service.ports import ReviewerRepository, RulesStore

MAX_ATTEMPTS = 3
Change = Callable[[Reviewer | None], Reviewer]


@dataclass(frozen=True)
class PutProfile:
    """A module's profile signals for one user."""

    user_id: str
    profile: Profile


@dataclass(frozen=True)
class SetStatus:
    """An ops decision about one reviewer's status."""

    user_id: str
    status: Status
    reason: str
    by: str


@dataclass(frozen=True)
class ReviewerView:
    """What ops see about a reviewer: the stored reviewer, today's load and window rates."""

    reviewer: Reviewer
    assigned_today: int
    quality: QualityRates


def update_reviewer(reviewers: ReviewerRepository, user_id: str, change: Change) -> Reviewer:
    """Read, change, write; retried when someone else wrote in between. No write when nothing changed."""
    for _ in range(MAX_ATTEMPTS):
        current = reviewers.get(user_id)
        updated = change(current)
        if updated == current:
            return updated
        try:
            reviewers.save(updated, current)
            return updated
        except ConcurrentUpdate:
            continue
    raise ConcurrentUpdate("The reviewer kept changing; try again.")


def put_profile(cmd: PutProfile, reviewers: ReviewerRepository, rules: RulesStore, now: datetime) -> Reviewer:
    """Store a profile (idempotent); a paused reviewer who meets the enrollment rule again resumes."""
    rule = rules.get().enrollment
    return update_reviewer(reviewers, cmd.user_id,
                           lambda current: apply_profile(current, cmd.user_id, cmd.profile, rule, now))


def _require(current: Reviewer | None, user_id: str) -> Reviewer:
    if current is None:
        raise NotFound(f"No reviewer or profile for user {user_id}.", code="reviewer_not_found")
    return current


def set_status(cmd: SetStatus, reviewers: ReviewerRepository, now: datetime) -> Reviewer:
    """Ops set a status; lifting a suspension also clears the outcome window (a fresh start)."""
    def change(current: Reviewer | None) -> Reviewer:
        reviewer = _require(current, cmd.user_id)
        if reviewer.status is cmd.status:
            return reviewer
        moved = reviewer.with_status(cmd.status, cmd.reason, cmd.by, now)
        lifting = reviewer.status is Status.SUSPENDED and cmd.status is Status.ACTIVE
        return moved.model_copy(update={"recent": ()}) if lifting else moved
    return update_reviewer(reviewers, cmd.user_id, change)


def view_reviewer(user_id: str, reviewers: ReviewerRepository, rules: RulesStore, now: datetime) -> ReviewerView:
    """A reviewer with today's load and the rates of the current quality window."""
    reviewer = _require(reviewers.get(user_id), user_id)
    window = window_of(reviewer, rules.get().quality)
    return ReviewerView(reviewer=reviewer, assigned_today=reviewer.fatigue.assigned_on(utc_day(now)),
                        quality=rates(window))


def reviewer_stats(user_ids: Sequence[str], reviewers: ReviewerRepository) -> dict[str, Reviewer]:
    """Known reviewers among `user_ids` (unknown ids are left out)."""
    return reviewers.get_many(list(dict.fromkeys(user_ids)))
