"""The report capability's contracts: API requests and responses (every string and list bounded), and
the worker's inputs (its outputs, the state machine's contract, are in `service/steps.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quorum_common.vocabulary import EntityId, Module
from quorum_common.worker import Task
from quorum_report.domain.case import CaseStatus, Decision, Verdict
from quorum_report.domain.policy import Policy
from quorum_report.service.steps import EscalationState
from quorum_report.service.timeline import TimelineEvent
from quorum_report.service.views import CaseSummary

Id = EntityId  # one id rule for every capability
HttpsUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://[^\s/?#]+[^\s]*$")]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z][a-z_]*$")]
CaseId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class Edge(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContentIn(Edge):
    text: str | None = Field(default=None, max_length=5000)
    image_urls: list[HttpsUrl] = Field(default_factory=list, max_length=9)


class TargetIn(Edge):
    module: Module
    id: Id
    owner_id: Id
    content: ContentIn = Field(default_factory=ContentIn)


class CreateReportRequest(Edge):
    """What a module sends to report content."""

    reporter_id: Id
    target: TargetIn
    reason: Reason
    detail: str | None = Field(default=None, max_length=1000)


class ReportAcceptedResponse(BaseModel):
    report_id: str
    case_id: str
    status: CaseStatus
    aggregated: bool
    decision: Decision | None = None


class CastVoteRequest(Edge):
    """A reviewer's verdict."""

    verdict: Verdict
    comment: str | None = Field(default=None, max_length=500)


class VoteResponse(BaseModel):
    case_id: str
    reviewer_id: str
    round: int
    verdict: Verdict
    comment: str | None = None
    voted_at: datetime
    settled_case: bool


class ResolutionRequest(Edge):
    """Ops' decision of an escalated case."""

    decision: Decision
    note: str | None = Field(default=None, max_length=1000)


class ResolutionResponse(BaseModel):
    case_id: str
    decision: Decision
    note: str | None = None
    resolved_by: str
    resolved_at: datetime


class PoliciesResponse(BaseModel):
    policies: list[Policy]


class CaseTimelineResponse(BaseModel):
    """Every event of a case, oldest first."""

    case_id: str
    events: list[TimelineEvent]


class CaseListResponse(BaseModel):
    cases: list[CaseSummary]
    next_cursor: str | None = None


# ---------------------------------------------------------------- worker inputs (voting.asl.json's Parameters)
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


class SweepTask(Task):
    action: Literal["sweep_stuck_cases"]
    stale_after_seconds: int = Field(default=900, ge=0, le=7 * 86400)
    limit: int = Field(default=100, ge=1, le=1000)
