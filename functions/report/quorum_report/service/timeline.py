"""A case's whole history for ops, in time order: its reports, rounds, seats, votes and decision.

The history is read, not kept twice: the reports and seats are already stored with their times,
and the case row keeps the lifecycle's own entries (rounds, escalation, decision, restarts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from quorum_common.errors import NotFound
from quorum_report.domain.case import Case, Report, Seat, TimelineEntry
from quorum_report.service.ports import CaseQueries, RewardLedger


class TimelineEvent(BaseModel):
    at: datetime
    event: str
    detail: dict[str, Any] = {}


def _reported(report: Report) -> TimelineEvent:
    return TimelineEvent(at=report.created_at, event="aggregated" if report.aggregated else "reported",
                         detail={"report_id": report.report_id, "reporter_id": report.reporter_id,
                                 "reason": report.reason})


def _seat_events(seat: Seat) -> list[TimelineEvent]:
    who = {"reviewer_id": seat.reviewer_id, "round": seat.round}
    events = [TimelineEvent(at=seat.invited_at, event="invited", detail={**who, "deadline": seat.deadline.isoformat()})]
    if seat.voted_at:
        events.append(TimelineEvent(at=seat.voted_at, event="voted", detail={**who, "verdict": seat.verdict}))
    if seat.status in ("expired", "cancelled", "recused"):
        events.append(TimelineEvent(at=seat.ended_at or seat.deadline, event=f"seat_{seat.status}", detail=who))
    return events


def _lifecycle_event(entry: TimelineEntry) -> TimelineEvent | None:
    if entry.event == "opened":
        return None  # the first report says it
    if entry.event == "round_opened" and int(entry.detail.get("round", 1)) > 1:
        return TimelineEvent(at=entry.at, event="substitutes_drawn", detail=entry.detail)
    return TimelineEvent(at=entry.at, event=entry.event, detail=entry.detail)


def _resolved(case: Case) -> list[TimelineEvent]:
    if case.resolution is None:
        return []
    r = case.resolution
    return [TimelineEvent(at=r.at, event="resolved", detail={"decision": r.decision, "note": r.note, "by": r.by})]


def _rewarded(grants: list[dict[str, Any]] | None) -> list[TimelineEvent]:
    """One `rewards_granted` event, when the last voter was granted (absent: not granted yet, or unknown)."""
    if not grants:
        return []
    at = max(datetime.fromisoformat(str(g["granted_at"])) for g in grants)  # 3.11 reads the "Z" form
    detail = {"grants": [{"reviewer_id": g["reviewer_id"], "points": g["points"]} for g in grants],
              "points": sum(int(g["points"]) for g in grants)}
    return [TimelineEvent(at=at, event="rewards_granted", detail=detail)]


def case_timeline(case_id: str, *, store: CaseQueries, rewards: RewardLedger) -> list[TimelineEvent]:
    """Every event of the case, oldest first (events at the same moment keep their causal order)."""
    case = store.get_case(case_id)
    if case is None:
        raise NotFound("No such case.", code="case_not_found")
    lifecycle = [e for e in map(_lifecycle_event, case.timeline) if e is not None]
    seats = [event for seat in store.list_seats(case_id) for event in _seat_events(seat)]
    events = [*map(_reported, store.list_reports(case_id)), *lifecycle, *seats, *_resolved(case)]
    if case.status == "decided":
        events += _rewarded(rewards.case_grants(case_id))
    return sorted(events, key=lambda e: e.at)
