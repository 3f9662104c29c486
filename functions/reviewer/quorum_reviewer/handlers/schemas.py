"""The reviewer's contracts: HTTP request and response models, and the worker's inputs and outputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal
from urllib.parse import unquote

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, StrictFloat, StrictInt, model_validator

from quorum_common.vocabulary import Decision, EntityId, as_utc, utc_now
from quorum_common.worker import Result, Task
from quorum_reviewer.domain.balance import Balance
from quorum_reviewer.domain.invitation import ContentField, Invitation, MaskedContent
from quorum_reviewer.domain.model import Code, Profile, Region, Reviewer, Stats, Status, StatusNote, TagSet
from quorum_reviewer.service.reviewers import ReviewerView

CLOCK_SKEW = timedelta(minutes=5)
MAX_SEATS = 101
Iso = Annotated[datetime, PlainSerializer(lambda moment: as_utc(moment).isoformat(), return_type=str)]
UserId = Annotated[EntityId, BeforeValidator(unquote)]  # API Gateway's rawPath keeps the percent-encoding
ExclusionId = str  # ids to keep off a panel need no particular shape, only a bound
CURSOR_MAX = 2048


# Every model here is built when first used, not at import: a cold start builds only the ones its request needs.
class Schema(BaseModel):
    model_config = ConfigDict(defer_build=True)


class _Task(Task):
    model_config = ConfigDict(defer_build=True)


class _Result(Result):
    model_config = ConfigDict(defer_build=True)


# ---------------------------------------------------------------------- HTTP requests
class ProfileRequest(Schema):
    """`PUT /v1/users/{user_id}/profile`: a module's signals about one user."""

    model_config = ConfigDict(extra="forbid")

    tags: TagSet = Field(default=(), description="Up to 20 lowercase slugs of at most 32 characters.")
    last_active_at: AwareDatetime
    registered_at: AwareDatetime
    credit_score: StrictInt = Field(ge=0, le=1000)
    region: Region | None = Field(default=None, description="Optional lowercase slug of at most 32 characters "
                                  "(balanced panels: see docs/reviewer.md).")

    @model_validator(mode="after")
    def _plausible_times(self) -> ProfileRequest:
        latest = utc_now() + CLOCK_SKEW
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
        return Profile(tags=self.tags, last_active_at=as_utc(self.last_active_at),
                       registered_at=as_utc(self.registered_at), credit_score=self.credit_score,
                       region=self.region)


class StatusRequest(Schema):
    """`PATCH /v1/reviewers/{user_id}`: an ops decision."""

    model_config = ConfigDict(extra="forbid")

    status: Status
    reason: str = Field(min_length=1, max_length=500)


class EnrollmentRequest(Schema):
    """`POST /v1/reviewers/enrollments`: optionally continue a run that stopped for time."""

    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=CURSOR_MAX)


# ---------------------------------------------------------------------- HTTP responses
class ProfileOut(Profile):
    model_config = ConfigDict(defer_build=True)

    last_active_at: Iso
    registered_at: Iso

    @classmethod
    def of(cls, profile: Profile) -> ProfileOut:
        return cls.model_validate(profile.model_dump())


class ProfileResponse(Schema):
    """What a module sees after feeding a profile; `status` None: never enrolled."""

    user_id: str
    profile: ProfileOut
    status: Status | None

    @classmethod
    def of(cls, reviewer: Reviewer) -> ProfileResponse:
        return cls(user_id=reviewer.user_id, profile=ProfileOut.of(reviewer.profile), status=reviewer.status)


class StatusNoteOut(StatusNote):
    model_config = ConfigDict(defer_build=True)

    at: Iso


class LoadOut(Schema):
    open_invitations: int
    assigned_today: int


class QualityOut(Schema):
    sample: int
    votes: int
    no_show_rate: float
    disagreement_rate: float


class ReviewerResponse(ProfileResponse):
    """What ops see: profile, status, the last status change, stats, load and quality window."""

    status_note: StatusNoteOut | None
    stats: Stats
    fatigue: LoadOut
    quality: QualityOut

    @classmethod
    def of_view(cls, view: ReviewerView) -> ReviewerResponse:
        r, q = view.reviewer, view.quality
        return cls(user_id=r.user_id, profile=ProfileOut.of(r.profile), status=r.status, stats=r.stats,
                   status_note=StatusNoteOut.model_validate(r.note.model_dump()) if r.note else None,
                   fatigue=LoadOut(open_invitations=r.fatigue.open_invitations, assigned_today=view.assigned_today),
                   quality=QualityOut(sample=q.sample, votes=q.votes, no_show_rate=round(q.no_show_rate, 4),
                                      disagreement_rate=round(q.disagreement_rate, 4)))


class TaskOut(Schema):
    """One inbox entry: never the reporter or the owner, only the masked content."""

    case_id: str
    module: str | None
    reason: str | None
    content: MaskedContent | None
    deadline: Iso | None
    invited_at: Iso

    @classmethod
    def of(cls, invitation: Invitation) -> TaskOut:
        b = invitation.brief
        return cls(case_id=invitation.case_id, module=b.module, reason=b.reason, content=b.content,
                   deadline=b.deadline, invited_at=invitation.invited_at)


class TasksResponse(Schema):
    tasks: list[TaskOut]


class EnrollmentResult(_Result):
    """Profiles per enrollment step; `next_cursor` continues a run that stopped for time."""

    enrolled: int
    resumed: int
    paused: int
    skipped: int
    next_cursor: str | None


class AdjustmentResult(_Result):
    """Who auto-adjustment paused and suspended; `next_cursor` continues the run."""

    paused: list[str]
    suspended: list[str]
    next_cursor: str | None


# ---------------------------------------------------------------------- worker inputs and outputs
class DrawPanelTask(_Task):
    action: Literal["draw_panel"]
    case_id: EntityId
    seats: StrictInt = Field(ge=0, le=MAX_SEATS)
    exclude: list[ExclusionId] = Field(default_factory=list, max_length=5000)
    tags: TagSet = ()
    round: StrictInt | None = Field(default=None, ge=0, le=1000)
    module: Code | None = None
    reason: Code | None = None
    content: ContentField = None
    deadline: AwareDatetime | None = None
    max_region_share: StrictFloat = Field(default=1.0, gt=0, le=1, allow_inf_nan=False)
    balance: Balance = Balance.PREFER


class PanelDrawn(_Result):
    """The reviewers invited, in draw order, and how many seats stayed empty (the state machine reads both)."""

    reviewer_ids: list[str]
    short_by: int


class ReleaseSeatTask(_Task):
    action: Literal["release_seat"]
    case_id: EntityId
    reviewer_id: EntityId
    outcome: Literal["voted", "expired"]


class SeatReleased(_Result):
    released: bool


class VoteIn(BaseModel):
    """A vote as the report capability passes it (other fields it carries are ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    reviewer_id: EntityId
    verdict: Decision


class RecordOutcomesTask(_Task):
    action: Literal["record_outcomes"]
    case_id: EntityId
    decision: Decision
    invited: list[EntityId] = Field(max_length=2000)
    votes: list[VoteIn] = Field(default_factory=list, max_length=2000)


class OutcomesRecorded(_Result):
    recorded: int
    duplicate: int
    unknown_reviewer: int
    released: int


class ReviewerStatsTask(_Task):
    action: Literal["reviewer_stats"]
    reviewer_ids: list[EntityId] = Field(max_length=500)


class StatsEntry(Stats):
    model_config = ConfigDict(defer_build=True)

    status: Status | None


class ReviewerStats(_Result):
    """Known reviewers' lifetime counters and status (unknown ids left out)."""

    stats: dict[str, StatsEntry]


class _SweepTask(_Task):
    cursor: str | None = Field(default=None, max_length=CURSOR_MAX)
    page_size: StrictInt = Field(default=100, ge=1, le=1000)


class RunEnrollmentTask(_SweepTask):
    action: Literal["run_enrollment"]


class AutoAdjustTask(_SweepTask):
    action: Literal["auto_adjust"]
