"""Cases, seats, reports and the target lock: what a vote is about and who may cast it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from quorum_common.vocabulary import Decision, Module
from quorum_report.domain.policy import Policy

Verdict = Decision  # a reviewer's vote uses the words of a decision
CaseStatus = Literal["voting", "escalated", "decided"]
SeatStatus = Literal["invited", "voted", "expired", "cancelled", "recused"]  # recused: its reviewer reported the case
SettledBy = Literal["votes", "final_rule", "ops"]
ONE_VOTE = 1  # what a cast vote adds to its side, in Tally.plus and in the report table's counters
CASE_STATUSES: tuple[CaseStatus, ...] = ("escalated", "voting", "decided")
# How long an escalated case waits for ops before they are alerted again: AwaitResolution's TimeoutSeconds in
# infra/statemachines/voting.asl.json (a template test keeps the two equal).
RESOLUTION_WINDOW = timedelta(days=30)


class Content(BaseModel):
    """What was reported, as the module sent it."""

    model_config = ConfigDict(frozen=True)

    text: str | None = None
    image_urls: tuple[str, ...] = ()


class Target(BaseModel):
    """The reported piece of content and its owner."""

    model_config = ConfigDict(frozen=True)

    module: Module
    id: str
    owner_id: str
    content: Content = Content()


class Tally(BaseModel):
    """Votes cast so far, across every round of a case."""

    model_config = ConfigDict(frozen=True)

    violation: int = 0
    no_violation: int = 0

    @property
    def total(self) -> int:
        return self.violation + self.no_violation

    def of(self, side: Decision) -> int:
        """Votes for `side`."""
        return self.violation if side == "violation" else self.no_violation

    def plus(self, side: Decision) -> Tally:
        """This tally after one more vote for `side` (the report table adds `ONE_VOTE` the same way)."""
        return self.model_copy(update={side: self.of(side) + ONE_VOTE})


class TimelineEntry(BaseModel):
    """One step of a case's life, for the ops view."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    event: str
    detail: dict[str, Any] = Field(default_factory=dict)


class Resolution(BaseModel):
    """An ops decision of an escalated case."""

    model_config = ConfigDict(frozen=True)

    decision: Decision
    note: str | None = None
    by: str
    at: datetime


class Case(BaseModel):
    """One vote about one target, however many reports it aggregates."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    target: Target
    reason: str
    detail: str | None = None
    policy: Policy
    status: CaseStatus = "voting"
    round: int = 1
    tally: Tally = Tally()
    invited: frozenset[str] = frozenset()
    reporters: frozenset[str] = frozenset()
    report_count: int = 1
    settled: Decision | None = None
    settled_by: SettledBy | None = None
    decision: Decision | None = None
    decided_at: datetime | None = None
    resolution: Resolution | None = None
    created_at: datetime
    round_deadline: datetime | None = None  # when the window of the latest round opened ends
    timeline: tuple[TimelineEntry, ...] = ()
    execution: str | None = None  # the execution driving the case, once the sweeper restarted it
    restarts: int = 0
    announced: bool = False  # CaseDecided was published
    effects_done: bool = False  # every effect of the decision completed (see closing.py)
    pins: dict[str, str] = {}  # the worker versions its state-machine version names (quorum_common.pins)

    @property
    def module(self) -> str:
        return self.target.module

    @property
    def is_open(self) -> bool:
        """Still accepting votes: voting and not yet settled."""
        return self.status == "voting" and self.settled is None

    @property
    def deadline(self) -> datetime | None:
        """When the current wait ends: the open round's window, or ops' resolution window once escalated."""
        if self.is_open:
            return self.round_deadline
        escalations = [entry.at for entry in self.timeline if entry.event == "escalated"]
        if self.status == "escalated" and escalations:
            return max(escalations) + RESOLUTION_WINDOW
        return None


class Seat(BaseModel):
    """A reviewer's place on a case's panel, and their vote once cast."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    reviewer_id: str
    round: int
    status: SeatStatus = "invited"
    deadline: datetime
    invited_at: datetime
    verdict: Verdict | None = None
    comment: str | None = None
    voted_at: datetime | None = None
    ended_at: datetime | None = None  # when the seat expired, was cancelled or recused

    def accepts_vote(self, round_: int, now: datetime) -> bool:
        """Whether this seat may vote now in round `round_`."""
        return self.status == "invited" and self.round == round_ and now < self.deadline


class Report(BaseModel):
    """One reporter's report; it follows its case."""

    model_config = ConfigDict(frozen=True)

    report_id: str
    case_id: str
    reporter_id: str
    submitted_by: str
    target: Target
    reason: str
    detail: str | None = None
    created_at: datetime
    aggregated: bool = False


class TargetLock(BaseModel):
    """The one open (or last decided) case of a target: many reports, one vote."""

    model_config = ConfigDict(frozen=True)

    module: str
    target_id: str
    case_id: str
    status: Literal["open", "decided"] = "open"
    decision: Decision | None = None
    decided_at: datetime | None = None
