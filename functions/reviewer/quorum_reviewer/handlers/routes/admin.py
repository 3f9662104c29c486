"""Reviewer administration for ops: enrollment runs, reviewer status and stats, the rules document."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from quorum_common.http import QuorumRouter, allow, current_caller, refuses
from quorum_common.vocabulary import utc_now
from quorum_reviewer.domain.rules import ReviewerRules
from quorum_reviewer.handlers.schemas import EnrollmentRequest, EnrollmentResult, ReviewerResponse, StatusRequest, UserId
from quorum_reviewer.handlers.wiring import ports, time_left
from quorum_reviewer.service.reviewers import SetStatus, set_status, view_reviewer
from quorum_reviewer.service.rules import get_rules, replace_rules
from quorum_reviewer.service.sweeps import Sweep, run_enrollment

router = QuorumRouter()
FROM_THE_START = EnrollmentRequest()  # the body is optional: no body runs from the first profile


@router.post("/v1/reviewers/enrollments", summary="Run the enrollment rule now (ops)", tags=["reviewers"])
@allow("ops")
def run_enrollment_now(body: Annotated[EnrollmentRequest, Body()] = FROM_THE_START) -> EnrollmentResult:
    """Counts of enrolled, resumed, paused and skipped profiles; `next_cursor` continues a long run."""
    p = ports()
    report = run_enrollment(Sweep(cursor=body.cursor), p.reviewers, p.rules, utc_now(), time_left(router.lambda_context))
    return EnrollmentResult.model_validate(report.as_dict())


@router.get("/v1/reviewers/<user_id>", summary="A reviewer's profile, status and stats (ops)", tags=["reviewers"])
@allow("ops")
@refuses(404)
def get_reviewer(user_id: Annotated[UserId, Path()]) -> ReviewerResponse:
    p = ports()
    return ReviewerResponse.of_view(view_reviewer(user_id, p.reviewers, p.rules, utc_now()))


@router.patch("/v1/reviewers/<user_id>", summary="Set a reviewer's status (ops)", tags=["reviewers"])
@allow("ops")
@refuses(404, 409)
def patch_reviewer(user_id: Annotated[UserId, Path()], body: StatusRequest) -> ReviewerResponse:
    """Suspend, lift a suspension, pause, resume or retire; the same request twice changes nothing more."""
    p, now = ports(), utc_now()
    set_status(SetStatus(user_id, body.status, body.reason, f"ops:{current_caller().sub}"), p.reviewers, now)
    return ReviewerResponse.of_view(view_reviewer(user_id, p.reviewers, p.rules, now))


@router.get("/v1/reviewer-rules", summary="The reviewer rules in force (ops)", tags=["reviewers"])
@allow("ops")
def read_rules() -> ReviewerRules:
    return get_rules(ports().rules)


@router.put("/v1/reviewer-rules", summary="Replace the reviewer rules (ops)", tags=["reviewers"])
@allow("ops")
def put_rules(body: ReviewerRules) -> ReviewerRules:
    """Enrollment, quality and fatigue rules in one document; omitted fields take their defaults."""
    return replace_rules(body, ports().rules)
