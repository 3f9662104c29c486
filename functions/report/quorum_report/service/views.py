"""What callers see of a case and a report: masked for reviewers, complete for ops."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from quorum_report.domain.case import (
    Case,
    CaseStatus,
    Decision,
    Policy,
    Report,
    Resolution,
    Seat,
    SeatStatus,
    Tally,
    TimelineEntry,
    Verdict,
)


class MaskedContent(BaseModel):
    text: str | None = None
    image_urls: list[str] = []


class ReviewerCaseView(BaseModel):
    """An invited reviewer's view: the content and the question, never who is involved."""

    case_id: str
    module: str
    reason: str
    detail: str | None = None
    content: MaskedContent
    status: CaseStatus
    round: int
    my_seat: dict[str, Any]


class SeatView(BaseModel):
    reviewer_id: str
    round: int
    status: SeatStatus
    deadline: datetime
    verdict: Verdict | None = None
    comment: str | None = None
    voted_at: datetime | None = None


class OpsCaseView(BaseModel):
    """The ops view: everything, with the panel, the votes and the timeline."""

    case_id: str
    module: str
    target: dict[str, Any]
    reason: str
    detail: str | None = None
    status: CaseStatus
    round: int
    policy: Policy
    tally: Tally
    reporters: list[str]
    report_count: int
    panel: list[SeatView]
    decision: Decision | None = None
    decided_at: datetime | None = None
    resolution: Resolution | None = None
    created_at: datetime
    deadline: datetime | None = None
    timeline: list[TimelineEntry]
    reviewer_stats: dict[str, Any] | None = None


class CaseSummary(BaseModel):
    case_id: str
    module: str
    target_id: str
    reason: str
    status: CaseStatus
    round: int
    tally: Tally
    report_count: int
    decision: Decision | None = None
    created_at: datetime
    decided_at: datetime | None = None
    deadline: datetime | None = None  # when the current wait ends (round window, or ops' resolution window)


class ReportView(BaseModel):
    """A report as its module sees it: the case's status and decision."""

    report_id: str
    case_id: str
    status: CaseStatus
    aggregated: bool
    decision: Decision | None = None
    decided_at: datetime | None = None
    reason: str
    target: dict[str, str]
    created_at: datetime


def seat_view(seat: Seat) -> SeatView:
    return SeatView(**seat.model_dump(include=set(SeatView.model_fields)))


def timeline_of(case: Case, seats: list[Seat]) -> list[TimelineEntry]:
    """The stored events merged with each vote, oldest first."""
    votes = [TimelineEntry(at=s.voted_at, event="voted", detail={"reviewer_id": s.reviewer_id, "verdict": s.verdict})
             for s in seats if s.voted_at]
    return sorted([*case.timeline, *votes], key=lambda entry: entry.at)


def ops_view(case: Case, seats: list[Seat], stats: dict[str, Any] | None) -> OpsCaseView:
    return OpsCaseView(
        case_id=case.case_id, module=case.module, target=case.target.model_dump(mode="json"), reason=case.reason,
        detail=case.detail, status=case.status, round=case.round, policy=case.policy, tally=case.tally,
        reporters=sorted(case.reporters), report_count=case.report_count,
        panel=[seat_view(s) for s in sorted(seats, key=lambda s: (s.round, s.invited_at, s.reviewer_id))],
        decision=case.decision, decided_at=case.decided_at, resolution=case.resolution, created_at=case.created_at,
        deadline=case.deadline, timeline=timeline_of(case, seats), reviewer_stats=stats)


def summary(case: Case) -> CaseSummary:
    return CaseSummary(case_id=case.case_id, module=case.module, target_id=case.target.id, reason=case.reason,
                       status=case.status, round=case.round, tally=case.tally, report_count=case.report_count,
                       decision=case.decision, created_at=case.created_at, decided_at=case.decided_at,
                       deadline=case.deadline)


def report_view(report: Report, case: Case) -> ReportView:
    return ReportView(report_id=report.report_id, case_id=case.case_id, status=case.status,
                      aggregated=report.aggregated, decision=case.decision, decided_at=case.decided_at,
                      reason=report.reason, target={"module": report.target.module, "id": report.target.id},
                      created_at=report.created_at)
