"""Routes for reviewers and ops: read a case, vote, list and resolve cases."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.metrics import MetricUnit

from quorum_common.http import QuorumRouter, allow, current_caller, refuses
from quorum_report.domain.case import CaseStatus
from quorum_report.handlers.schemas import (
    CaseListResponse,
    CaseTimelineResponse,
    CastVoteRequest,
    ResolutionRequest,
    ResolutionResponse,
    VoteResponse,
)
from quorum_report.handlers.wiring import api_deps, logger, metrics
from quorum_report.service.cases import ResolveCase, Viewer, list_cases, resolve_case, view_case
from quorum_report.service.timeline import case_timeline
from quorum_report.service.views import OpsCaseView, ReviewerCaseView, summary
from quorum_report.service.voting import CastVote, cast_vote

router = QuorumRouter()
CaseIdPath = Annotated[str, Path(max_length=64)]


@router.get("/v1/cases", summary="List cases (escalated first)", tags=["cases"])
@allow("ops")
def get_cases(status: Annotated[CaseStatus | None, Query()] = None,
              limit: Annotated[int, Query(ge=1, le=100)] = 50,
              cursor: Annotated[str | None, Query(max_length=512)] = None) -> CaseListResponse:
    """Ops: one status, or every status with escalated cases first, a bounded page at a time."""
    page = list_cases(status, limit, cursor, store=api_deps().store)
    return CaseListResponse(cases=[summary(case) for case in page.cases], next_cursor=page.cursor)


@router.get("/v1/cases/<case_id>", summary="A case: masked for reviewers, full for ops", tags=["cases"])
@allow("user", "ops")
@refuses(404)
def get_case(case_id: CaseIdPath, view: Annotated[Literal["full", "reviewer"], Query()] = "full") -> OpsCaseView | ReviewerCaseView:
    """Invited reviewers see the masked content; ops see the panel, votes and timeline, or with
    `view=reviewer` exactly what the panel reads (masked, `my_seat` empty)."""
    caller = current_caller()
    deps = api_deps()
    viewer = Viewer(caller.sub, "ops" in caller.groups, as_reviewer=view == "reviewer")
    return view_case(case_id, viewer, store=deps.store, reviewers=deps.reviewers)


@router.post("/v1/cases/<case_id>/votes", status_code=201, summary="Vote on a case", tags=["cases"])
@allow("user")
@refuses(404, 409)
def post_vote(case_id: CaseIdPath, vote: CastVoteRequest) -> VoteResponse:
    """An invited reviewer's one vote (201: it was counted); the deciding vote settles the case at once."""
    caller = current_caller()
    logger.set_correlation_id(case_id)
    deps = api_deps()
    recorded = cast_vote(CastVote(case_id, caller.sub, vote.verdict, vote.comment), store=deps.store,
                         workflow=deps.workflow, reviewers=deps.reviewers, clock=deps.clock)
    metrics.add_metric(name="VotesCast", unit=MetricUnit.Count, value=1)
    return VoteResponse(**asdict(recorded))


@router.post("/v1/cases/<case_id>/resolution", summary="Decide an escalated case", tags=["cases"])
@allow("ops")
@refuses(404, 409)
def post_resolution(case_id: CaseIdPath, resolution: ResolutionRequest) -> ResolutionResponse:
    """Ops decide an escalated case; the decision's effects follow as for a vote."""
    caller = current_caller()
    deps = api_deps()
    done = resolve_case(ResolveCase(case_id, resolution.decision, resolution.note, caller.sub), store=deps.store,
                        workflow=deps.workflow, clock=deps.clock)
    return ResolutionResponse(case_id=case_id, decision=done.decision, note=done.note, resolved_by=done.by,
                              resolved_at=done.at)


@router.get("/v1/cases/<case_id>/timeline", summary="A case's history, oldest first", tags=["cases"])
@allow("ops")
@refuses(404)
def get_case_timeline(case_id: CaseIdPath) -> CaseTimelineResponse:
    """Ops: reports, rounds, invitations, votes, expired seats, substitutes, escalation, resolution, decision,
    rewards."""
    deps = api_deps()
    return CaseTimelineResponse(case_id=case_id, events=case_timeline(case_id, store=deps.store, rewards=deps.rewards))
