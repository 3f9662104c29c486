"""Profiles fed by the modules, and the reviewer's own inbox."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Router

from quorum_common.auth import caller_from_event
from quorum_reviewer.handlers.edge import ProfileRequest, path_id, profile_response, read_body, task_json
from quorum_reviewer.handlers.wiring import now, ports
from quorum_reviewer.service.reviewers import PutProfile, put_profile
from quorum_reviewer.service.seats import list_tasks

router = Router()


@router.put("/v1/users/<user_id>/profile", summary="Feed a user's profile signals (module)", tags=["reviewers"])
def put_user_profile(user_id: str) -> dict[str, Any]:
    """Store tags, activity, account age and credit score; the same body twice stores the same state."""
    caller_from_event(router.current_event.raw_event).require("module")
    uid = path_id(user_id, "user_id")
    body = read_body(router.current_event, ProfileRequest)
    p = ports()
    return profile_response(put_profile(PutProfile(uid, body.to_profile()), p.reviewers, p.rules, now()))


@router.get("/v1/reviewer/tasks", summary="My open invitations (user)", tags=["reviewers"])
def my_tasks() -> dict[str, Any]:
    """Open invitations of the caller whose deadline has not passed, soonest first."""
    caller = caller_from_event(router.current_event.raw_event).require("user")
    return {"tasks": [task_json(i) for i in list_tasks(caller.sub, ports().seats, now())]}
