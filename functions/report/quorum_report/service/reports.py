"""Report intake: validate, cap, aggregate onto the target's case or open a new one (the commands and
answers are in `intake.py`, joining an open case in `joining.py`)."""

from __future__ import annotations

import logging
from datetime import datetime

from quorum_common.errors import Conflict, InvalidInput, NotFound, RateLimited
from quorum_common.vocabulary import utc_day
from quorum_report.domain.case import Case, Report, TimelineEntry
from quorum_report.domain.modules import is_known_reason, reasons_for
from quorum_report.domain.quota import seconds_until_utc_midnight
from quorum_report.service.intake import IntakeLimits, ReportAccepted, ReportStatus, SubmitReport
from quorum_report.service.joining import join_open_case
from quorum_report.service.policies import current_policy
from quorum_report.service.ports import (
    AlreadyReported,
    CaseNotOpen,
    Clock,
    IntakeStore,
    NewId,
    PolicyStore,
    Quota,
    QuotaExceeded,
    Recusals,
    SeatChanged,
    TargetTaken,
    Workflow,
)

__all__ = ["IntakeLimits", "ReportAccepted", "ReportStatus", "SubmitReport", "check_report", "get_report",
           "submit_report"]
log = logging.getLogger(__name__)
ATTEMPTS = 4
RETRIED = (TargetTaken, CaseNotOpen, SeatChanged, AlreadyReported)  # the case changed under us: look again


def check_report(cmd: SubmitReport) -> None:
    """The rules pydantic cannot see: the reason must fit the module; nobody reports themself."""
    if not is_known_reason(cmd.target.module, cmd.reason):
        raise InvalidInput(f"Unknown reason for {cmd.target.module}.", code="unknown_reason",
                           details=[{"field": "reason", "message": f"one of {', '.join(reasons_for(cmd.target.module))}"}])
    if cmd.reporter_id == cmd.target.owner_id:
        raise InvalidInput("A user cannot report their own content.", code="self_report",
                           details=[{"field": "reporter_id", "message": "equals target.owner_id"}])


def submit_report(cmd: SubmitReport, *, store: IntakeStore, policies: PolicyStore, workflow: Workflow,
                  recusals: Recusals, clock: Clock, new_id: NewId, limits: IntakeLimits) -> ReportAccepted:
    """Store the report on the target's open case, its recent decision, or a new case."""
    check_report(cmd)
    now = clock()
    quota = Quota(cmd.reporter_id, utc_day(now), limits.daily_cap)
    report_id = new_id("rep")
    try:
        for _ in range(ATTEMPTS):
            try:
                return _place(cmd, report_id, now, quota, store, policies, workflow, recusals, new_id, limits)
            except RETRIED:
                continue
    except QuotaExceeded:
        raise RateLimited("The reporter reached today's report cap.", code="daily_cap_reached",
                          retry_after=seconds_until_utc_midnight(now)) from None
    raise Conflict("The target is busy; try again.", code="target_busy")


def _place(cmd: SubmitReport, report_id: str, now: datetime, quota: Quota, store: IntakeStore, policies: PolicyStore,
           workflow: Workflow, recusals: Recusals, new_id: NewId, limits: IntakeLimits) -> ReportAccepted:
    lock = store.get_lock(cmd.target.module, cmd.target.id)
    case = store.get_case(lock.case_id) if lock else None
    if case and case.status != "decided":
        return _join(cmd, report_id, now, quota, case, store, recusals)
    if case and case.decided_at and now - case.decided_at < limits.decision_reuse:
        return _reuse(cmd, report_id, now, quota, case, store)
    return _open(cmd, report_id, now, quota, lock.case_id if lock else None, store, policies, workflow, new_id)


def _report(cmd: SubmitReport, report_id: str, case_id: str, now: datetime, aggregated: bool) -> Report:
    return Report(report_id=report_id, case_id=case_id, reporter_id=cmd.reporter_id, submitted_by=cmd.submitted_by,
                  target=cmd.target, reason=cmd.reason, detail=cmd.detail, created_at=now, aggregated=aggregated)


def _join(cmd: SubmitReport, report_id: str, now: datetime, quota: Quota, case: Case, store: IntakeStore,
          recusals: Recusals) -> ReportAccepted:
    joined = join_open_case(_report(cmd, report_id, case.case_id, now, True), case, quota, store)
    if joined.recused is not None:
        recusals.substitute(joined.recused, case.pins)
    return ReportAccepted(joined.report.report_id, case.case_id, case.status, aggregated=joined.report.aggregated,
                          existing=joined.existing)


def _reuse(cmd: SubmitReport, report_id: str, now: datetime, quota: Quota, case: Case,
           store: IntakeStore) -> ReportAccepted:
    store.add_report(_report(cmd, report_id, case.case_id, now, True), quota)
    return ReportAccepted(report_id, case.case_id, "decided", aggregated=True, decision=case.decision)


def _open(cmd: SubmitReport, report_id: str, now: datetime, quota: Quota, replaces: str | None,
          store: IntakeStore, policies: PolicyStore, workflow: Workflow, new_id: NewId) -> ReportAccepted:
    policy = current_policy(cmd.target.module, policies)
    case = Case(case_id=new_id("case"), target=cmd.target, reason=cmd.reason, detail=cmd.detail, policy=policy,
                reporters=frozenset({cmd.reporter_id}), created_at=now,
                timeline=(TimelineEntry(at=now, event="opened", detail={"policy_version": policy.version}),))
    store.open_case(case, _report(cmd, report_id, case.case_id, now, False), quota, replaces)
    _start(workflow, case.case_id)
    return ReportAccepted(report_id, case.case_id, "voting", aggregated=False)


def _start(workflow: Workflow, case_id: str) -> None:
    # The report is stored and accepted; a failed start is repaired by the stuck-case sweeper.
    try:
        workflow.start(case_id)
    except Exception:  # any failure here must not lose the accepted report
        log.exception("could not start the voting execution", extra={"case_id": case_id})


def get_report(report_id: str, caller: str, is_ops: bool, *, store: IntakeStore) -> ReportStatus:
    """A report and its case; a module sees only the reports it submitted."""
    report = store.get_report(report_id)
    if report is None or (report.submitted_by != caller and not is_ops):
        raise NotFound("No such report.", code="report_not_found")
    case = store.get_case(report.case_id)
    if case is None:
        raise NotFound("No such report.", code="report_not_found")
    return ReportStatus(report, case)
