"""The ports the use cases need; boto3 adapters and Fake* test doubles implement them.

Each store method is one atomic step: the adapter enforces its condition and signals a lost
race with one of the exceptions below, which the use cases turn into caller-facing errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

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
from quorum_report.domain.events import CaseDecided, CaseEscalated, ReviewerInvited
from quorum_report.domain.policy import Policy
from quorum_report.service.steps import DrawRound

Clock = Callable[[], datetime]
SeatOutcome = Literal["voted", "expired"]
NewId = Callable[[str], str]


class TargetTaken(Exception):
    """Another report opened a case for this target first."""


class CaseNotOpen(Exception):
    """The case closed (or settled) before this write landed."""


class QuotaExceeded(Exception):
    """The reporter reached today's cap."""


class AlreadyReported(Exception):
    """The reporter already has a report on this case."""


class SeatChanged(Exception):
    """The seat to recuse is no longer open (its reviewer voted, or it ended) since it was read."""


class PanelChanged(Exception):
    """A reviewer about to be seated reported the case since it was read (a reporter never sits)."""


class SeatRejected(Exception):
    """The seat is not (or no longer) open to a vote: voted, expired or another round."""


class NotSettled(Exception):
    """The settle condition did not hold (no win yet, already settled, wrong status)."""


class WorkflowDenied(Exception):
    """Step Functions refused a call with AccessDenied: a missing grant, a defect (5xx), never the caller's."""


class VersionConflict(Exception):
    """Another policy version was stored since the caller read the current one."""


@dataclass(frozen=True)
class Quota:
    """One reporter's counter for one UTC day."""

    reporter_id: str
    day: str
    cap: int


@dataclass(frozen=True)
class Page:
    """A bounded page of cases and the cursor of the next one."""

    cases: list[Case]
    cursor: str | None


class IntakeStore(Protocol):
    def get_lock(self, module: str, target_id: str) -> TargetLock | None: ...
    def get_case(self, case_id: str) -> Case | None: ...
    def open_case(self, case: Case, report: Report, quota: Quota, replaces: str | None) -> None: ...
    def join_case(self, report: Report, quota: Quota, track_reporter: bool, recuse: Seat | None = None, *,
                  unseated: bool = False) -> None:
        """Add the report to its open case, recusing `recuse`; `unseated`: refuse (`CaseNotOpen`) if the
        reporter was seated since the case was read."""
    def add_report(self, report: Report, quota: Quota) -> None: ...
    def get_report(self, report_id: str) -> Report | None: ...
    def get_seat(self, case_id: str, reviewer_id: str) -> Seat | None: ...
    def reported_by(self, case_id: str, submitted_by: str, reporter_id: str) -> str | None:
        """The id of the reporter's report on the case through that module, if they made one."""


class VotingStore(Protocol):
    def get_case(self, case_id: str) -> Case | None: ...
    def get_seat(self, case_id: str, reviewer_id: str) -> Seat | None: ...
    def cast_vote(self, seat: Seat, verdict: Verdict, comment: str | None, at: datetime) -> None: ...
    def settle(self, case_id: str, decision: Decision, *, by: SettledBy, at: datetime,
               when_votes_reach: int | None = None, from_status: CaseStatus = "voting",
               resolution: Resolution | None = None) -> str | None: ...


class LifecycleStore(VotingStore, Protocol):
    def list_seats(self, case_id: str) -> list[Seat]: ...
    def add_seats(self, case_id: str, round_: int, seats: Sequence[Seat], entry: TimelineEntry) -> None: ...
    def store_token(self, case_id: str, token: str, *, status: CaseStatus, round_: int | None) -> None: ...
    def end_seats(self, case_id: str, status: SeatStatus, at: datetime, round_: int | None = None) -> list[str]: ...
    def advance_round(self, case_id: str, closed_round: int, entry: TimelineEntry) -> None: ...
    def escalate(self, case_id: str, reason: str, at: datetime) -> Case: ...
    def close_case(self, case_id: str, decision: Decision, at: datetime) -> Case:
        """Decide the case (a retried step returns it as stored); its effects are pending until `complete_effects`."""

    def mark_announced(self, case_id: str, at: datetime) -> None:
        """CaseDecided went out: no later Decide publishes it again."""

    def complete_effects(self, case_id: str, at: datetime) -> None:
        """Every effect of the decision completed: the case leaves the pending-effects index."""


class SweepStore(Protocol):
    def list_cases(self, status: CaseStatus, limit: int, cursor: str | None) -> Page: ...
    def note_restart(self, case_id: str, restarts: int, execution: str, entry: TimelineEntry) -> bool: ...
    def pending_effects(self, decided_before: datetime, limit: int, cursor: str | None) -> Page:
        """Decided cases whose effects did not all complete, decided before `decided_before`, oldest first."""

    def abandon_effects(self, case_id: str, entry: TimelineEntry) -> None:
        """Take a decided case out of the pending effects (the sweep gave it up), for ops to find."""


class CaseQueries(Protocol):
    def get_case(self, case_id: str) -> Case | None: ...
    def list_seats(self, case_id: str) -> list[Seat]: ...
    def list_reports(self, case_id: str) -> list[Report]: ...
    def list_cases(self, status: CaseStatus, limit: int, cursor: str | None) -> Page: ...


class ReportStore(IntakeStore, LifecycleStore, SweepStore, CaseQueries, Protocol):
    """The whole report table, as the handlers wire it."""


class PolicyStore(Protocol):
    def current(self, module: str) -> Policy | None: ...
    def all_current(self) -> list[Policy]: ...
    def put(self, policy: Policy, previous_version: int | None) -> None: ...


class Workflow(Protocol):
    def start(self, case_id: str, name: str | None = None) -> None: ...
    def complete(self, token: str, output: dict[str, Any]) -> bool: ...
    def status(self, name: str) -> str | None: ...


class Notifier(Protocol):
    def invite(self, invitations: Sequence[ReviewerInvited]) -> None: ...
    def case_decided(self, event: CaseDecided) -> None: ...
    def case_escalated(self, event: CaseEscalated) -> None: ...


class RewardLedger(Protocol):
    def case_grants(self, case_id: str) -> list[dict[str, Any]] | None:
        """`{reviewer_id, points, granted_at}` per voter of the case; None when the reward service did not answer."""


class Recusals(Protocol):
    def substitute(self, seat: Seat, pins: Mapping[str, str]) -> None:
        """Ask (asynchronously) for a substitute of a seat its reviewer recused by reporting the case,
        drawn by the worker versions the case is pinned to (`Case.pins`)."""


class ReviewerDirectory(Protocol):
    def release_seat(self, case_id: str, reviewer_id: str, outcome: SeatOutcome) -> None: ...
    def draw(self, draw: DrawRound) -> list[str]: ...
    def stats(self, reviewer_ids: Sequence[str]) -> dict[str, Any] | None: ...
