"""Profiles fed by the modules, and the reviewer's own inbox."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from quorum_common.http import QuorumRouter, allow, current_caller, refuses
from quorum_common.vocabulary import utc_now
from quorum_reviewer.handlers.schemas import ProfileRequest, ProfileResponse, TaskOut, TasksResponse, UserId
from quorum_reviewer.handlers.wiring import ports
from quorum_reviewer.service.reviewers import PutProfile, put_profile
from quorum_reviewer.service.seats import list_tasks

router = QuorumRouter()


@router.put("/v1/users/<user_id>/profile", summary="Feed a user's profile signals (module)", tags=["reviewers"])
@allow("module")
@refuses(409)
def put_user_profile(user_id: Annotated[UserId, Path()], body: ProfileRequest) -> ProfileResponse:
    """Store tags, activity, account age and credit score; the same body twice stores the same state. The
    token must name the module it speaks for (`quorum_module`; 403 `module_claim_missing`)."""
    current_caller().speaks_for()
    p = ports()
    return ProfileResponse.of(put_profile(PutProfile(user_id, body.to_profile()), p.reviewers, p.rules, utc_now()))


@router.get("/v1/reviewer/tasks", summary="My open invitations (user)", tags=["reviewers"])
@allow("user")
def my_tasks() -> TasksResponse:
    """Open invitations of the caller whose deadline has not passed, soonest first."""
    return TasksResponse(tasks=[TaskOut.of(i) for i in list_tasks(current_caller().sub, ports().seats, utc_now())])
