"""In-memory doubles of the report capability's ports, with the same conditions as DynamoDB."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from quorum_common.errors import NotFound
from quorum_report.domain.case import (
    Case,
    CaseStatus,
    Decision,
    Report,
    Resolution,
    Seat,
    SeatStatus,
    SettledBy,
    TargetLock,
    TimelineEntry,
    Verdict,
)
from quorum_report.domain.errors import CaseAlreadyDecided, CaseNotSettled, CaseSettled, CaseStateChanged, EffectFailed
from quorum_report.domain.policy import Policy
from quorum_report.service.ports import (
    AlreadyReported,
    CaseNotOpen,
    NotSettled,
    Page,
    PanelChanged,
    Quota,
    QuotaExceeded,
    SeatChanged,
    SeatRejected,
    TargetTaken,
    VersionConflict,
)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeIds:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}-{self.count:04d}"


@dataclass
class FakeStore:
    """Cases, seats, reports, locks and quotas in dicts, each method atomic under one lock."""

    cases: dict[str, Case] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    seats: dict[tuple[str, str], Seat] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    locks: dict[tuple[str, str], str] = field(default_factory=dict)
    quotas: dict[tuple[str, str], int] = field(default_factory=dict)
    abandoned: set[str] = field(default_factory=set)  # gsi2pk EFFECTS#abandoned: given up by the sweep
    reporters: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (case, module, reporter) -> report id
    lock: threading.Lock = field(default_factory=threading.Lock)

    # reads
    def get_case(self, case_id: str) -> Case | None:
        return self.cases.get(case_id)

    def get_seat(self, case_id: str, reviewer_id: str) -> Seat | None:
        return self.seats.get((case_id, reviewer_id))

    def list_seats(self, case_id: str) -> list[Seat]:
        return [s for (c, _), s in self.seats.items() if c == case_id]

    def list_reports(self, case_id: str) -> list[Report]:
        return sorted((r for r in self.reports.values() if r.case_id == case_id), key=lambda r: r.created_at)

    def get_lock(self, module: str, target_id: str) -> TargetLock | None:
        case_id = self.locks.get((module, target_id))
        return TargetLock(module=module, target_id=target_id, case_id=case_id) if case_id else None

    def get_report(self, report_id: str) -> Report | None:
        return self.reports.get(report_id)

    def reported_by(self, case_id: str, submitted_by: str, reporter_id: str) -> str | None:
        return self.reporters.get((case_id, submitted_by, reporter_id))

    def list_cases(self, status: CaseStatus, limit: int, cursor: str | None) -> Page:
        chosen = sorted((c for c in self.cases.values() if c.status == status), key=lambda c: c.created_at)
        start = int(cursor or 0)
        rest = chosen[start:start + limit]
        return Page(rest, str(start + limit) if start + limit < len(chosen) else None)

    # intake
    def _check_quota(self, quota: Quota) -> None:
        if self.quotas.get((quota.reporter_id, quota.day), 0) >= quota.cap:
            raise QuotaExceeded()

    def _count(self, quota: Quota) -> None:
        key = (quota.reporter_id, quota.day)
        self.quotas[key] = self.quotas.get(key, 0) + 1

    def open_case(self, case: Case, report: Report, quota: Quota, replaces: str | None) -> None:
        with self.lock:
            self._check_quota(quota)
            if self.locks.get((case.module, case.target.id)) != replaces:
                raise TargetTaken()
            self._count(quota)
            self.cases[case.case_id] = case
            self.reports[report.report_id] = report
            self.reporters[(case.case_id, report.submitted_by, report.reporter_id)] = report.report_id
            self.locks[(case.module, case.target.id)] = case.case_id

    def join_case(self, report: Report, quota: Quota, track_reporter: bool, recuse: Seat | None = None, *,
                  unseated: bool = False) -> None:
        with self.lock:
            self._check_quota(quota)
            case = self.cases.get(report.case_id)
            if case is None or case.status == "decided" or (unseated and report.reporter_id in case.invited):
                raise CaseNotOpen()
            if (case.case_id, report.submitted_by, report.reporter_id) in self.reporters:
                raise AlreadyReported()
            seat_key = (case.case_id, recuse.reviewer_id) if recuse else None
            if seat_key and self.seats[seat_key].status != "invited":
                raise SeatChanged()
            if seat_key:
                self.seats[seat_key] = self.seats[seat_key].model_copy(update={"status": "recused",
                                                                               "ended_at": report.created_at})
            self.reporters[(case.case_id, report.submitted_by, report.reporter_id)] = report.report_id
            self._count(quota)
            reporters = case.reporters | ({report.reporter_id} if track_reporter else set())
            self.cases[case.case_id] = case.model_copy(update={"reporters": reporters,
                                                               "report_count": case.report_count + 1})
            self.reports[report.report_id] = report

    def add_report(self, report: Report, quota: Quota) -> None:
        with self.lock:
            self._check_quota(quota)
            self._count(quota)
            self.reports[report.report_id] = report

    # voting
    def cast_vote(self, seat: Seat, verdict: Verdict, comment: str | None, at: datetime) -> None:
        with self.lock:
            case = self.cases[seat.case_id]
            if not (case.status == "voting" and case.settled is None and case.round == seat.round):
                raise CaseNotOpen()
            stored = self.seats.get((seat.case_id, seat.reviewer_id))
            if stored is None or not stored.accepts_vote(seat.round, at):
                raise SeatRejected()
            self.seats[(seat.case_id, seat.reviewer_id)] = stored.model_copy(
                update={"status": "voted", "verdict": verdict, "comment": comment, "voted_at": at})
            self.cases[case.case_id] = case.model_copy(update={"tally": case.tally.plus(verdict)})

    def settle(self, case_id: str, decision: Decision, *, by: SettledBy, at: datetime,
               when_votes_reach: int | None = None, from_status: CaseStatus = "voting",
               resolution: Resolution | None = None) -> str | None:
        with self.lock:
            case = self.cases.get(case_id)
            if case is None or case.settled or case.status != from_status:
                raise NotSettled()
            if when_votes_reach is not None and case.tally.of(decision) < when_votes_reach:
                raise NotSettled()
            self.cases[case_id] = case.model_copy(update={"settled": decision, "settled_by": by,
                                                          "resolution": resolution or case.resolution})
            return self.tokens.get(case_id)

    # lifecycle
    def add_seats(self, case_id: str, round_: int, seats: Sequence[Seat], entry: TimelineEntry) -> None:
        with self.lock:
            case = self.cases[case_id]
            if case.status != "voting" or case.settled or case.round != round_:
                raise CaseStateChanged("moved on")
            if case.reporters & {s.reviewer_id for s in seats}:
                raise PanelChanged()
            for seat in seats:
                self.seats[(case_id, seat.reviewer_id)] = seat
            self.cases[case_id] = case.model_copy(update={
                "invited": case.invited | {s.reviewer_id for s in seats}, "timeline": (*case.timeline, entry)})

    def store_token(self, case_id: str, token: str, *, status: CaseStatus, round_: int | None) -> None:
        with self.lock:
            case = self.cases[case_id]
            if case.settled or case.status == "decided":
                raise CaseSettled("settled")
            if case.status != status or (round_ is not None and case.round != round_):
                raise CaseStateChanged("moved on")
            self.tokens[case_id] = token

    def end_seats(self, case_id: str, status: SeatStatus, at: datetime, round_: int | None = None) -> list[str]:
        with self.lock:
            ended = []
            for seat in self.list_seats(case_id):
                if seat.status == "invited" and (round_ is None or seat.round == round_):
                    self.seats[(case_id, seat.reviewer_id)] = seat.model_copy(update={"status": status, "ended_at": at})
                    ended.append(seat.reviewer_id)
            return ended

    def advance_round(self, case_id: str, closed_round: int, entry: TimelineEntry) -> None:
        with self.lock:
            case = self.cases[case_id]
            if case.settled:
                raise CaseSettled("settled")
            if case.round == closed_round + 1:
                return
            if case.status != "voting" or case.round != closed_round:
                raise CaseStateChanged("moved on")
            self.tokens.pop(case_id, None)
            self.cases[case_id] = case.model_copy(update={"round": closed_round + 1,
                                                          "timeline": (*case.timeline, entry)})

    def escalate(self, case_id: str, reason: str, at: datetime) -> Case:
        with self.lock:
            case = self.cases.get(case_id)
            if case is None:
                raise NotFound("no case", code="case_not_found")
            if case.status == "decided":
                raise CaseAlreadyDecided("decided")
            if case.status == "voting":
                self.tokens.pop(case_id, None)
                entry = TimelineEntry(at=at, event="escalated", detail={"reason": reason})
                case = case.model_copy(update={"status": "escalated", "settled": None, "settled_by": None,
                                               "timeline": (*case.timeline, entry)})
                self.cases[case_id] = case
            return case

    def close_case(self, case_id: str, decision: Decision, at: datetime) -> Case:
        with self.lock:
            case = self.cases[case_id]
            if case.status == "decided":
                return case
            if case.settled != decision:
                raise CaseNotSettled("not settled")
            self.tokens.pop(case_id, None)
            case = case.model_copy(update={"status": "decided", "decision": decision, "decided_at": at})
            self.cases[case_id] = case
            return case

    def mark_announced(self, case_id: str, at: datetime) -> None:
        with self.lock:
            self.cases[case_id] = self.cases[case_id].model_copy(update={"announced": True})

    def complete_effects(self, case_id: str, at: datetime) -> None:
        with self.lock:
            case = self.cases[case_id]
            if case.status != "decided":
                raise CaseStateChanged("not decided")
            self.cases[case_id] = case.model_copy(update={"effects_done": True})

    # sweeper
    def pending_effects(self, decided_before: datetime, limit: int, cursor: str | None) -> Page:
        pending = [c for c in self.cases.values() if c.status == "decided" and not c.effects_done
                   and c.case_id not in self.abandoned and c.decided_at is not None and c.decided_at < decided_before]
        chosen = sorted(f"{(c.decided_at or decided_before).isoformat()}#{c.case_id}" for c in pending)
        chosen = [key for key in chosen if cursor is None or key > cursor]  # a start key, as DynamoDB's
        page = [self.cases[key.split("#", 1)[1]] for key in chosen[:limit]]
        return Page(page, chosen[limit - 1] if len(chosen) > limit else None)

    def abandon_effects(self, case_id: str, entry: TimelineEntry) -> None:
        with self.lock:
            case = self.cases[case_id]
            if case.effects_done or case_id in self.abandoned:
                return
            self.abandoned.add(case_id)
            self.cases[case_id] = case.model_copy(update={"timeline": (*case.timeline, entry)})

    def note_restart(self, case_id: str, restarts: int, execution: str, entry: TimelineEntry) -> bool:
        with self.lock:
            case = self.cases[case_id]
            if case.restarts != restarts:
                return False
            self.cases[case_id] = case.model_copy(update={"execution": execution, "restarts": restarts + 1,
                                                          "timeline": (*case.timeline, entry)})
            return True


@dataclass
class FakePolicyStore:
    stored: dict[str, Policy] = field(default_factory=dict)
    history: list[Policy] = field(default_factory=list)

    def current(self, module: str) -> Policy | None:
        return self.stored.get(module)

    def all_current(self) -> list[Policy]:
        return list(self.stored.values())

    def put(self, policy: Policy, previous_version: int | None) -> None:
        current = self.stored.get(policy.module)
        if (current.version if current else None) != previous_version:
            raise VersionConflict()
        self.stored[policy.module] = policy
        self.history.append(policy)


@dataclass
class FakeWorkflow:
    started: list[str] = field(default_factory=list)
    completed: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    live_tokens: set[str] = field(default_factory=set)
    executions: dict[str, str] = field(default_factory=dict)  # name -> status

    def start(self, case_id: str, name: str | None = None) -> None:
        if case_id not in self.started:
            self.started.append(case_id)
        self.executions.setdefault(name or case_id, "RUNNING")

    def status(self, name: str) -> str | None:
        return self.executions.get(name)

    def complete(self, token: str, output: dict[str, Any]) -> bool:
        self.completed.append((token, output))
        return token in self.live_tokens


@dataclass
class FakeNotifier:
    invitations: list[Any] = field(default_factory=list)
    decided: list[Any] = field(default_factory=list)
    escalated: list[Any] = field(default_factory=list)
    refuse_decided: int = 0  # how many CaseDecided publishes fail (as SNS would), first ones first

    def invite(self, invitations: Sequence[Any]) -> None:
        self.invitations.extend(invitations)

    def case_decided(self, event: Any) -> None:
        if self.refuse_decided:
            self.refuse_decided -= 1
            raise EffectFailed("SNS refused the publish")
        self.decided.append(event)

    def case_escalated(self, event: Any) -> None:
        self.escalated.append(event)


@dataclass
class FakeRecusals:
    asked: list[Seat] = field(default_factory=list)

    pins: list[dict[str, str]] = field(default_factory=list)

    def substitute(self, seat: Seat, pins: Mapping[str, str]) -> None:
        self.asked.append(seat)
        self.pins.append(dict(pins))


@dataclass
class FakeReviewers:
    released: list[tuple[str, str]] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)
    available: bool = True
    pool: list[str] = field(default_factory=list)
    draws: list[Any] = field(default_factory=list)

    def release_seat(self, case_id: str, reviewer_id: str, outcome: str) -> None:
        self.released.append((case_id, reviewer_id))
        self.outcomes[reviewer_id] = outcome

    def stats(self, reviewer_ids: Sequence[str]) -> dict[str, Any] | None:
        return {r: {"invited": 1} for r in reviewer_ids} if self.available else None

    def draw(self, draw: Any) -> list[str]:
        self.draws.append(draw)
        return [r for r in self.pool if r not in draw.exclude][:draw.seats_needed]
