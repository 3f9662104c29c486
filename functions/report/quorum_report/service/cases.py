"""Reading cases (reviewers and ops) and resolving escalated ones (ops)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from quorum_common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from quorum_report.domain.case import CASE_STATUSES, Case, CaseStatus, Decision, Resolution, Seat
from quorum_report.domain.masking import mask_text
from quorum_report.service.ports import CaseQueries, Clock, NotSettled, Page, ReviewerDirectory, VotingStore, Workflow
from quorum_report.service.views import MaskedContent, OpsCaseView, ReviewerCaseView, ops_view

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Viewer:
    """Who asks: a user id, whether they are ops, and whether ops asked for the reviewers' view."""

    sub: str
    is_ops: bool
    as_reviewer: bool = False


@dataclass(frozen=True)
class ResolveCase:
    """Ops decides an escalated case."""

    case_id: str
    decision: Decision
    note: str | None
    by: str


def view_case(case_id: str, viewer: Viewer, *, store: CaseQueries,
              reviewers: ReviewerDirectory) -> OpsCaseView | ReviewerCaseView:
    """Full view for ops, masked view for a reviewer who holds a seat, 403 for anyone else."""
    case = store.get_case(case_id)
    if case is None:
        raise NotFound("No such case.", code="case_not_found")
    seats = store.list_seats(case_id)
    if viewer.is_ops and viewer.as_reviewer:  # what every panel member reads, without a seat of one's own
        return reviewer_view(case, None)
    if viewer.is_ops:
        return ops_view(case, seats, reviewers.stats(sorted(s.reviewer_id for s in seats)))
    mine = next((s for s in seats if s.reviewer_id == viewer.sub), None)
    if mine is None:
        raise PermissionDenied("Only reviewers invited to this case may see it.", code="not_invited")
    return reviewer_view(case, mine)


def reviewer_view(case: Case, seat: Seat | None) -> ReviewerCaseView:
    """The content with contacts and the parties' ids masked."""
    people = [*case.reporters, case.target.owner_id]
    return ReviewerCaseView(
        case_id=case.case_id, module=case.module, reason=case.reason, detail=mask_text(case.detail, people),
        content=MaskedContent(text=mask_text(case.target.content.text, people),
                              image_urls=list(case.target.content.image_urls)),
        status=case.status, round=case.round,
        my_seat=seat.model_dump(mode="json", include={"round", "status", "deadline", "verdict", "voted_at"}) if seat else {})


def list_cases(status: CaseStatus | None, limit: int, cursor: str | None, *, store: CaseQueries) -> Page:
    """One status, or every status with escalated cases first; at most `limit` per page."""
    statuses = [status] if status else list(CASE_STATUSES)
    start, inner = _split_cursor(cursor, statuses)
    cases: list[Case] = []
    for index in range(start, len(statuses)):
        page = store.list_cases(statuses[index], limit - len(cases), inner if index == start else None)
        cases += page.cases
        if page.cursor:
            return Page(cases, f"{index}.{page.cursor}")
        if len(cases) >= limit:
            return Page(cases, f"{index + 1}." if index + 1 < len(statuses) else None)
    return Page(cases, None)


def _split_cursor(cursor: str | None, statuses: Sequence[CaseStatus]) -> tuple[int, str | None]:
    if not cursor:
        return 0, None
    head, _, inner = cursor.partition(".")
    if not head.isdigit() or int(head) >= len(statuses):
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor")
    return int(head), inner or None


def resolve_case(cmd: ResolveCase, *, store: VotingStore, workflow: Workflow, clock: Clock) -> Resolution:
    """Settle an escalated case with ops' decision and complete the waiting callback."""
    now = clock()
    resolution = Resolution(decision=cmd.decision, note=cmd.note, by=cmd.by, at=now)
    try:
        token = store.settle(cmd.case_id, cmd.decision, by="ops", at=now, from_status="escalated",
                             resolution=resolution)
    except NotSettled:
        if store.get_case(cmd.case_id) is None:
            raise NotFound("No such case.", code="case_not_found") from None
        raise Conflict("Only an escalated, unresolved case can be resolved.", code="case_not_escalated") from None
    if token and not workflow.complete(token, {"decision": cmd.decision, "settled_by": "ops"}):
        log.warning("resolution token no longer valid", extra={"case_id": cmd.case_id})
    return resolution
