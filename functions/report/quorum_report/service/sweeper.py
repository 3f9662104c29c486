"""The stuck-case sweep (scheduled every 15 minutes): every open case, and every decided case whose
effects did not all complete, has a running execution.

An execution can be missing (the start after intake failed) or over while its case is still
open (it ended in `EscalationFailed`, or was stopped), or over before the decision's effects
completed (it ended in `DecisionEffectsFailed`). The sweep starts a new one; the state machine's
first step reads where the case stands and resumes there (see `lifecycle.load_case`): a decided
case goes straight to Decide and the effects after it, each of which runs once (see `closing.py`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from quorum_report.domain.case import Case, CaseStatus, TimelineEntry
from quorum_report.service.ports import Clock, SweepStore, Workflow
from quorum_report.service.steps import SweepReport

log = logging.getLogger(__name__)
OPEN_STATUSES: tuple[CaseStatus, ...] = ("escalated", "voting")


@dataclass(frozen=True)
class Sweep:
    """How far back to look and how much to check in one run."""

    stale_after: timedelta = timedelta(minutes=15)
    limit: int = 100  # per status, oldest first: a bounded run, the next one continues


def sweep_stuck_cases(sweep: Sweep, *, store: SweepStore, workflow: Workflow, clock: Clock) -> SweepReport:
    """Restart the driver of every open case older than `stale_after`, and of every case decided longer ago
    than that with effects pending, whose execution is not running."""
    now, checked, restarted = clock(), 0, []
    for status in OPEN_STATUSES:
        for case in store.list_cases(status, sweep.limit, None).cases:
            if now - case.created_at < sweep.stale_after:
                break  # oldest first: the rest are younger still
            checked += 1
            if _restart_if_stopped(case, store, workflow, now):
                restarted.append(case.case_id)
    pending = store.pending_effects(now - sweep.stale_after, sweep.limit)
    redriven = [case.case_id for case in pending if _restart_if_stopped(case, store, workflow, now)]
    return SweepReport(checked=checked + len(pending), restarted=restarted, redriven=redriven)


def _restart_if_stopped(case: Case, store: SweepStore, workflow: Workflow, now: datetime) -> bool:
    current = case.execution or case.case_id
    state = workflow.status(current)
    if state == "RUNNING":
        return False
    name = case.case_id if state is None else f"{case.case_id}-r{case.restarts + 1}"
    entry = TimelineEntry(at=now, event="execution_restarted", detail={"previous": current, "was": state})
    if not store.note_restart(case.case_id, case.restarts, name, entry):
        return False  # another sweep restarted it
    workflow.start(case.case_id, name)
    log.warning("restarted a stuck case", extra={"case_id": case.case_id, "was": state, "execution": name})
    return True
