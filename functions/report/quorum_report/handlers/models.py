"""Request and response models of the report API: every string and list bounded."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quorum_common.vocabulary import EntityId
from quorum_report.domain.case import CaseStatus, Decision, Verdict
from quorum_report.domain.modules import Module
from quorum_report.domain.policy import Policy
from quorum_report.service.views import CaseSummary

Id = EntityId  # one id rule for every capability
HttpsUrl = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://[^\s/?#]+[^\s]*$")]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z][a-z_]*$")]
IdempotencyKey = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")]
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


class CaseListResponse(BaseModel):
    cases: list[CaseSummary]
    next_cursor: str | None = None
