"""The report API's contracts: requests and responses, every string and list bounded (the worker's inputs
and outputs, the state machine's contract, are in `service/steps.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quorum_common.vocabulary import EntityId, Module
from quorum_report.domain.case import CaseStatus, Decision, Verdict
from quorum_report.domain.policy import Policy
from quorum_report.service.timeline import TimelineEvent
from quorum_report.service.views import CaseSummary

Id = EntityId  # one id rule for every capability
HttpsUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://[^\s/?#]+[^\s]*$")]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z][a-z_]*$")]
CaseId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class Edge(BaseModel):
    """A request body: unknown fields refused. API models are built on first use (`defer_build`), so a request
    builds only the models it uses."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class Out(BaseModel):
    """A response body, built on first use."""

    model_config = ConfigDict(defer_build=True)


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


class ReportAcceptedResponse(Out):
    report_id: str
    case_id: str
    status: CaseStatus
    aggregated: bool
    decision: Decision | None = None
    existing: bool = Field(default=False, description="true (with 200): the reporter already reported this open "
                                                      "case; this is that report, and no unit of the daily cap was used")


class CastVoteRequest(Edge):
    """A reviewer's verdict."""

    verdict: Verdict
    comment: str | None = Field(default=None, max_length=500)


class VoteResponse(Out):
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


class ResolutionResponse(Out):
    case_id: str
    decision: Decision
    note: str | None = None
    resolved_by: str
    resolved_at: datetime


class PoliciesResponse(Out):
    policies: list[Policy]


class CaseTimelineResponse(Out):
    """Every event of a case, oldest first."""

    case_id: str
    events: list[TimelineEvent]


class CaseListResponse(Out):
    cases: list[CaseSummary]
    next_cursor: str | None = None
