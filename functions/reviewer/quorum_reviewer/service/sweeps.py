"""Batch jobs over every profile: enrollment and auto-adjustment (resumable through a cursor)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from quorum_common.vocabulary import utc_day
from quorum_reviewer.domain.adjustment import adjustment_for, needs_tidy
from quorum_reviewer.domain.enrollment import Step, apply_step, enrollment_step
from quorum_reviewer.domain.errors import ConcurrentUpdate
from quorum_reviewer.domain.model import Reviewer, Status
from quorum_reviewer.service.ports import ReviewerRepository, RulesStore

KeepGoing = Callable[[], bool]
Visit = Callable[[Reviewer], None]


@dataclass(frozen=True)
class Sweep:
    """Where to start (None: from the beginning) and how many profiles to read per page."""

    cursor: str | None = None
    page_size: int = 100


@dataclass
class EnrollmentReport:
    """Counts per step, and the cursor to continue from (None when every profile was seen)."""

    counts: Counter = field(default_factory=Counter)
    next_cursor: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {**{step.value: self.counts[step] for step in Step}, "next_cursor": self.next_cursor}


@dataclass
class AdjustmentReport:
    """User ids per transition, and the cursor to continue from."""

    moved: dict[Status, list[str]] = field(default_factory=lambda: {Status.PAUSED: [], Status.SUSPENDED: []})
    next_cursor: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {**{status.value: ids for status, ids in self.moved.items()}, "next_cursor": self.next_cursor}


def sweep(reviewers: ReviewerRepository, cmd: Sweep, keep_going: KeepGoing, visit: Visit) -> str | None:
    """Visit every profile from `cmd.cursor` on, page by page, until done or told to stop."""
    cursor = cmd.cursor
    while True:
        page = reviewers.walk(cursor, cmd.page_size)
        for reviewer in page.items:
            visit(reviewer)
        cursor = page.cursor
        if cursor is None or not keep_going():
            return cursor


def _saved(reviewers: ReviewerRepository, updated: Reviewer, previous: Reviewer) -> bool:
    try:
        reviewers.save(updated, previous)
        return True
    except ConcurrentUpdate:  # changed since the (eventually consistent) walk read it; the next run sees it
        return False


def run_enrollment(cmd: Sweep, reviewers: ReviewerRepository, rules: RulesStore, now: datetime,
                   keep_going: KeepGoing = lambda: True) -> EnrollmentReport:
    """Enroll newcomers who qualify, resume paused ones who qualify again, pause idle active ones."""
    rule = rules.get().enrollment
    report = EnrollmentReport()

    def visit(reviewer: Reviewer) -> None:
        step = enrollment_step(reviewer, rule, now)
        if step is not Step.SKIPPED and not _saved(reviewers, apply_step(reviewer, step, "enrollment", now), reviewer):
            step = Step.SKIPPED
        report.counts[step] += 1

    report.next_cursor = sweep(reviewers, cmd, keep_going, visit)
    return report


def auto_adjust(cmd: Sweep, reviewers: ReviewerRepository, rules: RulesStore, now: datetime,
                keep_going: KeepGoing = lambda: True) -> AdjustmentReport:
    """Suspend reviewers whose quality window breaks a threshold, pause idle ones; tidy counters."""
    current_rules = rules.get()
    today = utc_day(now)
    report = AdjustmentReport()

    def visit(reviewer: Reviewer) -> None:
        target = adjustment_for(reviewer, current_rules, now)
        if target and _saved(reviewers, reviewer.with_status(*target, by="auto_adjust", at=now), reviewer):
            report.moved[target[0]].append(reviewer.user_id)
        if needs_tidy(reviewer, current_rules.quality.window, today):
            reviewers.tidy(reviewer, current_rules.quality.window, today)

    report.next_cursor = sweep(reviewers, cmd, keep_going, visit)
    return report
