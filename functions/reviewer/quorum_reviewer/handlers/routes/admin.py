"""Reviewer administration for ops: enrollment runs, reviewer status and stats, the rules document."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Router

from quorum_common.auth import caller_from_event
from quorum_reviewer.domain.model import Status
from quorum_reviewer.domain.rules import ReviewerRules
from quorum_reviewer.handlers.edge import EnrollmentRequest, StatusRequest, path_id, read_body, reviewer_response
from quorum_reviewer.handlers.wiring import now, ports, time_left
from quorum_reviewer.service.reviewers import SetStatus, set_status, view_reviewer
from quorum_reviewer.service.rules import get_rules, replace_rules
from quorum_reviewer.service.sweeps import Sweep, run_enrollment

router = Router()


def _ops() -> str:
    return caller_from_event(router.current_event.raw_event).require("ops").sub


@router.post("/v1/reviewers/enrollments", summary="Run the enrollment rule now (ops)", tags=["reviewers"])
def run_enrollment_now() -> dict[str, Any]:
    """Counts of enrolled, resumed, paused and skipped profiles; `next_cursor` continues a long run."""
    _ops()
    body = read_body(router.current_event, EnrollmentRequest, optional=True)
    p = ports()
    report = run_enrollment(Sweep(cursor=body.cursor), p.reviewers, p.rules, now(), time_left(router.lambda_context))
    return report.as_dict()


@router.get("/v1/reviewers/<user_id>", summary="A reviewer's profile, status and stats (ops)", tags=["reviewers"])
def get_reviewer(user_id: str) -> dict[str, Any]:
    _ops()
    p = ports()
    return reviewer_response(view_reviewer(path_id(user_id, "user_id"), p.reviewers, p.rules, now()))


@router.patch("/v1/reviewers/<user_id>", summary="Set a reviewer's status (ops)", tags=["reviewers"])
def patch_reviewer(user_id: str) -> dict[str, Any]:
    """Suspend, lift a suspension, pause, resume or retire; the same request twice changes nothing more."""
    who = _ops()
    uid = path_id(user_id, "user_id")
    body = read_body(router.current_event, StatusRequest)
    p = ports()
    set_status(SetStatus(uid, Status(body.status), body.reason, f"ops:{who}"), p.reviewers, now())
    return reviewer_response(view_reviewer(uid, p.reviewers, p.rules, now()))


@router.get("/v1/reviewer-rules", summary="The reviewer rules in force (ops)", tags=["reviewers"])
def read_rules() -> dict[str, Any]:
    _ops()
    return get_rules(ports().rules).model_dump(mode="json")


@router.put("/v1/reviewer-rules", summary="Replace the reviewer rules (ops)", tags=["reviewers"])
def put_rules() -> dict[str, Any]:
    """Enrollment, quality and fatigue rules in one document; omitted fields take their defaults."""
    _ops()
    rules = read_body(router.current_event, ReviewerRules)
    return replace_rules(rules, ports().rules).model_dump(mode="json")
