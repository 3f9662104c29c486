"""Auto-adjustment: which status a reviewer should move to on quality and activity grounds."""

from __future__ import annotations

from datetime import datetime

from quorum_reviewer.domain.enrollment import is_inactive
from quorum_reviewer.domain.fatigue import stale_days
from quorum_reviewer.domain.model import Reviewer, Status
from quorum_reviewer.domain.quality import suspension_reason
from quorum_reviewer.domain.rules import ReviewerRules


def adjustment_for(reviewer: Reviewer, rules: ReviewerRules, now: datetime) -> tuple[Status, str] | None:
    """The status a reviewer should take now and why, or None; suspension outranks pausing."""
    reason = suspension_reason(reviewer, rules.quality)
    if reason:
        return Status.SUSPENDED, reason
    if reviewer.status is Status.ACTIVE and is_inactive(reviewer.profile, rules.enrollment, now):
        return Status.PAUSED, "inactive beyond the enrollment rule's window"
    return None


def needs_tidy(reviewer: Reviewer, window: int, today: str) -> bool:
    """True when the outcome window has grown past `window` or past days' counters linger."""
    return len(reviewer.recent) > window or bool(stale_days(reviewer.fatigue.daily, today))
