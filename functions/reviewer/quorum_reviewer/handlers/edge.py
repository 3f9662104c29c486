"""The reviewer API's edge: request models, reading bodies and ids, and response shapes.

Bodies are read inside each route, after the role check: a caller in the wrong group gets 403
whatever it sent, and learns nothing about the validation rules.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar
from urllib.parse import unquote

from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, TypeAdapter, ValidationError, model_validator

from quorum_common.vocabulary import EntityId
from quorum_reviewer.domain.invitation import Invitation
from quorum_reviewer.domain.model import Profile, Reviewer, Status, TagSet
from quorum_reviewer.service.reviewers import ReviewerView

M = TypeVar("M", bound=BaseModel)
CLOCK_SKEW = timedelta(minutes=5)
_entity_id = TypeAdapter(EntityId)


class ProfileRequest(BaseModel):
    """`PUT /v1/users/{user_id}/profile`: a module's signals about one user."""

    model_config = ConfigDict(extra="forbid")

    tags: TagSet = Field(default=(), description="Up to 20 lowercase slugs of at most 32 characters.")
    last_active_at: AwareDatetime
    registered_at: AwareDatetime
    credit_score: StrictInt = Field(ge=0, le=1000)

    @model_validator(mode="after")
    def _plausible_times(self) -> ProfileRequest:
        latest = datetime.now(UTC) + CLOCK_SKEW
        try:  # 0001-01-01T00:00:00+14:00 has no UTC equivalent
            self.last_active_at.astimezone(UTC), self.registered_at.astimezone(UTC)
        except OverflowError:
            raise ValueError("timestamps must be within the years 1-9999 in UTC") from None
        if self.last_active_at > latest or self.registered_at > latest:
            raise ValueError("timestamps must not be in the future")
        if self.last_active_at < self.registered_at:
            raise ValueError("last_active_at must not be before registered_at")
        return self

    def to_profile(self) -> Profile:
        return Profile(tags=self.tags, last_active_at=self.last_active_at.astimezone(UTC),
                       registered_at=self.registered_at.astimezone(UTC), credit_score=self.credit_score)


class StatusRequest(BaseModel):
    """`PATCH /v1/reviewers/{user_id}`: an ops decision."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["active", "paused", "suspended", "retired"]
    reason: str = Field(min_length=1, max_length=500)


class EnrollmentRequest(BaseModel):
    """`POST /v1/reviewers/enrollments`: optionally continue a run that stopped for time."""

    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=2048)


def read_body(event: APIGatewayProxyEventV2, model: type[M], *, optional: bool = False) -> M:
    """Validate the JSON body; errors take the resolver's own 400/422 path (common error format)."""
    raw = event.decoded_body or ("{}" if optional else "")
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_context=False, include_input=False)) from exc


def path_id(value: str, name: str) -> str:
    """A user id from the path (percent-decoded, as API Gateway's pathParameters are), validated like every id."""
    try:
        return _entity_id.validate_python(unquote(value))
    except ValidationError as exc:
        errors = [{**e, "loc": ("path", name)} for e in exc.errors(include_url=False, include_context=False, include_input=False)]
        raise RequestValidationError(errors) from exc


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def profile_json(reviewer: Reviewer) -> dict[str, Any]:
    p = reviewer.profile
    return {"tags": list(p.tags), "last_active_at": _iso(p.last_active_at),
            "registered_at": _iso(p.registered_at), "credit_score": p.credit_score}


def profile_response(reviewer: Reviewer) -> dict[str, Any]:
    """What a module sees after feeding a profile."""
    return {"user_id": reviewer.user_id, "profile": profile_json(reviewer), "status": _status(reviewer)}


def _status(reviewer: Reviewer) -> str | None:
    return reviewer.status.value if isinstance(reviewer.status, Status) else reviewer.status


def stats_json(reviewer: Reviewer) -> dict[str, int]:
    return reviewer.stats.model_dump()


def reviewer_response(view: ReviewerView) -> dict[str, Any]:
    """What ops see: profile, status (None = never enrolled), stats, load and quality window."""
    r, note = view.reviewer, view.reviewer.note
    return {
        "user_id": r.user_id, "profile": profile_json(r), "status": _status(r),
        "status_note": {"reason": note.reason, "by": note.by, "at": _iso(note.at)} if note else None,
        "stats": stats_json(r),
        "fatigue": {"open_invitations": r.fatigue.open_invitations, "assigned_today": view.assigned_today},
        "quality": {"sample": view.quality.sample, "votes": view.quality.votes,
                    "no_show_rate": round(view.quality.no_show_rate, 4),
                    "disagreement_rate": round(view.quality.disagreement_rate, 4)},
    }


def task_json(invitation: Invitation) -> dict[str, Any]:
    """One inbox entry: never the reporter or the owner, only the masked content."""
    brief = invitation.brief
    return {"case_id": invitation.case_id, "module": brief.module, "reason": brief.reason,
            "content": brief.content.model_dump(mode="json") if brief.content else None,
            "deadline": _iso(brief.deadline), "invited_at": _iso(invitation.invited_at)}
