"""The intake's command and answers, and the limits it applies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from quorum_report.domain.case import Case, Decision, Report, Target


@dataclass(frozen=True)
class SubmitReport:
    """A module reports a piece of content on behalf of one of its users."""

    submitted_by: str
    reporter_id: str
    target: Target
    reason: str
    detail: str | None = None


DAILY_CAP = 20
DECISION_REUSE = timedelta(days=7)


@dataclass(frozen=True)
class IntakeLimits:
    """The reporter's daily cap and how long a decision answers new reports of its target."""

    daily_cap: int = DAILY_CAP
    decision_reuse: timedelta = DECISION_REUSE


@dataclass(frozen=True)
class ReportAccepted:
    """The 202 answer: which case the report joined and where that case stands (`existing`: the 200 of a
    reporter who already reported this open case)."""

    report_id: str
    case_id: str
    status: str
    aggregated: bool
    decision: Decision | None = None
    existing: bool = False


@dataclass(frozen=True)
class ReportStatus:
    """A report as its module sees it: its case's status and decision."""

    report: Report
    case: Case
