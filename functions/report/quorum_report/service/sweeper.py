"""The stuck-case sweep (scheduled every 15 minutes): every open case, and every decided case whose
effects did not all complete, has a running execution.

An execution can be missing (the start after intake failed) or over while its case is still
open (it ended in `EscalationFailed`, or was stopped), or over before the decision's effects
completed (it ended in `DecisionEffectsFailed`). The sweep starts a new one; the state machine's
first step reads where the case stands and resumes there (see `lifecycle.load_case`): a decided
case goes straight to Decide and the effects after it, each of which runs once (see `closing.py`).
A case restarted `max_restarts` times is given up (it fails the same way each time): reported and
left for a person; a decided one leaves the pending index for `EFFECTS#abandoned`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from quorum_report.domain.case import Case, CaseStatus, TimelineEntry
from quorum_report.service.ports import Clock, Page, SweepStore, Workflow
from quorum_report.service.steps import SweepReport

log = logging.getLogger(__name__)
OPEN_STATUSES: tuple[CaseStatus, ...] = ("escalated", "voting")


@dataclass(frozen=True)
class Sweep:
    """How far back to look and how much to read in one run."""

    stale_after: timedelta = timedelta(minutes=15)
    limit: int = 100  # cases per page, oldest first
    max_pages: int = 10  # pages per status (and of pending effects): a bounded run, the next one reads again
    max_restarts: int = 5  # then the case is given up


def sweep_stuck_cases(sweep: Sweep, *, store: SweepStore, workflow: Workflow, clock: Clock) -> SweepReport:
    """Restart the driver of every open case older than `stale_after`, and of every case decided longer ago
    than that with effects pending, whose execution is not running; give up the ones restarted too often."""
    now, checked = clock(), 0
    found: dict[str, list[str]] = {"restarted": [], "redriven": [], "given_up": []}  # running, raced: not reported
    for status in OPEN_STATUSES:
        def page(cursor: str | None, status: CaseStatus = status) -> Page:
            return store.list_cases(status, sweep.limit, cursor)
        for case in _stale(page, sweep.max_pages, lambda case: now - case.created_at >= sweep.stale_after):
            checked += 1
            outcome = _check(case, sweep, store, workflow, now, "restarted")
            if outcome in found:
                found[outcome].append(case.case_id)
    # the pending-effects query reads only cases decided before `now - stale_after`: all of them are stale
    for case in _stale(lambda cursor: store.pending_effects(now - sweep.stale_after, sweep.limit, cursor),
                       sweep.max_pages):
        checked += 1
        outcome = _check(case, sweep, store, workflow, now, "redriven")
        if outcome in found:
            found[outcome].append(case.case_id)
        if outcome == "given_up":
            store.abandon_effects(case.case_id, TimelineEntry(at=now, event="effects_abandoned",
                                                              detail={"restarts": case.restarts}))
    return SweepReport(checked=checked, **found)


def _stale(read: Callable[[str | None], Page], max_pages: int,
           stale: Callable[[Case], bool] = lambda case: True) -> Iterator[Case]:
    """The cases, oldest first, page after page, until a young one, the end, or `max_pages` pages."""
    cursor: str | None = None
    for _ in range(max_pages):
        page = read(cursor)
        for case in page.cases:
            if not stale(case):
                return  # oldest first: the rest are younger still
            yield case
        if page.cursor is None:
            return
        cursor = page.cursor


def _check(case: Case, sweep: Sweep, store: SweepStore, workflow: Workflow, now: datetime, started: str) -> str:
    """`started` (restarted or redriven) when a new execution took over, else running, given_up or raced."""
    current = case.execution or case.case_id
    state = workflow.status(current)
    if state == "RUNNING":
        return "running"
    if case.restarts >= sweep.max_restarts:
        log.error("gave up a stuck case", extra={"case_id": case.case_id, "was": state, "restarts": case.restarts})
        return "given_up"
    name = case.case_id if state is None else f"{case.case_id}-r{case.restarts + 1}"
    entry = TimelineEntry(at=now, event="execution_restarted", detail={"previous": current, "was": state})
    if not store.note_restart(case.case_id, case.restarts, name, entry):
        return "raced"  # another sweep restarted it
    workflow.start(case.case_id, name)
    log.warning("restarted a stuck case", extra={"case_id": case.case_id, "was": state, "execution": name})
    return started
