"""The voting state machine's contract: each task's input (voting.asl.json's Parameters) and what each
lifecycle step returns (the fields the ASL reads).

A step's output replaces the execution's state (`ResultPath: "$"`), so each model carries
exactly what the next state reads; `next` is the field the Choice states branch on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quorum_common.vocabulary import Decision, Module
from quorum_common.worker import Result, Task


class Decide(Result):
    """Settled (or decided with its effects maybe missing): go to the Decide step."""

    case_id: str
    module: Module
    next: Literal["decide"] = "decide"


class AwaitResolution(Result):
    """Escalated: wait for ops' resolution."""

    case_id: str
    module: Module
    next: Literal["await_resolution"] = "await_resolution"


class AwaitVotes(Result):
    """A round is open: wait `window_seconds` for its votes."""

    case_id: str
    module: Module
    round: int
    window_seconds: int
    invited: int = 0
    next: Literal["await"] = "await"


class Brief(BaseModel):
    """The masked content the reviewers' inbox shows."""

    model_config = ConfigDict(frozen=True)

    text: str | None
    image_urls: list[str]


class DrawRound(Result):
    """A round needs reviewers: what DrawPanel needs (seats, exclusions, tags) and the round's brief."""

    case_id: str
    module: Module
    round: int
    seats_needed: int
    exclude: list[str]
    tags: list[str]
    max_region_share: float = 1.0
    balance: Literal["strict", "prefer"] = "prefer"
    reason: str
    content: Brief
    deadline: str  # ISO 8601, fixed before the draw so the inbox, the seats and the timeout share it
    next: Literal["draw", "substitute"]


class Escalate(Result):
    """No decision can be reached by votes: hand the case to ops."""

    case_id: str
    escalation: str
    next: Literal["escalate"] = "escalate"


LoadedCase = Decide | AwaitResolution | AwaitVotes | DrawRound
OpenedRound = AwaitVotes | Decide | Escalate
ClosedRound = DrawRound | Decide | Escalate


class EscalationState(BaseModel):
    """The Escalate step's input: the whole state, whichever step failed or found no majority."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    case_id: str
    escalation: str | None = None
    error: dict[str, object] | None = None  # a caught error: the case is escalated for it

    @property
    def reason(self) -> str:
        return "error" if self.error else self.escalation or "unknown"


class Escalated(Result):
    case_id: str
    module: Module
    escalation: str


class Waiting(Result):
    """A callback token is parked on the case."""

    case_id: str
    waiting: Literal["votes", "resolution"]


class CastVoteRecord(BaseModel):
    reviewer_id: str
    verdict: Decision


class Decided(Result):
    """What the reward and reviewer steps need: the votes, who was invited, and the no-shows."""

    case_id: str
    module: Module
    target_id: str
    decision: Decision
    decided_at: str  # ISO 8601
    votes: list[CastVoteRecord]
    invited: list[str]
    no_shows: list[str]
    cancelled: list[str]


class EffectsCompleted(Result):
    """Every effect of the decision is done."""

    case_id: str


class SweepReport(Result):
    checked: int
    restarted: list[str]
    redriven: list[str] = Field(default_factory=list)  # decided cases whose effects were run again
    given_up: list[str] = Field(default_factory=list)  # stopped after max_restarts restarts: left for a person


# ---------------------------------------------------------------- inputs (voting.asl.json's Parameters)
TaskId = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Round = Annotated[int, Field(ge=1, le=100)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=4096)]


class LoadCaseTask(Task):
    action: Literal["load_case"]
    case_id: TaskId


class OpenRoundTask(Task):
    action: Literal["open_round"]
    case_id: TaskId
    round: Round
    reviewer_ids: list[str] = Field(default_factory=list, max_length=200)
    deadline: datetime | None = None


class AwaitVotesTask(Task):
    action: Literal["await_votes"]
    case_id: TaskId
    token: Token
    round: Round | None = None


class CloseRoundTask(Task):
    action: Literal["close_round"]
    case_id: TaskId
    round: Round


class EscalateTask(Task):
    action: Literal["escalate"]
    state: EscalationState


class AwaitResolutionTask(Task):
    action: Literal["await_resolution"]
    case_id: TaskId
    token: Token


class DecideTask(Task):
    action: Literal["decide"]
    case_id: TaskId


class CompleteDecisionTask(Task):
    action: Literal["complete_decision"]
    case_id: TaskId


class SweepTask(Task):
    action: Literal["sweep_stuck_cases"]
    stale_after_seconds: int = Field(default=900, ge=0, le=7 * 86400)
    limit: int = Field(default=100, ge=1, le=1000)
