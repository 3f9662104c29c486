"""Reviewers as the domain sees them: profile signals, status, fatigue counters and quality stats."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from quorum_common.vocabulary import Tag

CODE_PATTERN = r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$"
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=CODE_PATTERN)]  # module, reason
Region = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=CODE_PATTERN)]


def canonical_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Tags as a set: sorted and without duplicates, so equal sets compare (and store) equal."""
    return tuple(sorted(set(tags)))


TagSet = Annotated[tuple[Tag, ...], Field(max_length=20), AfterValidator(canonical_tags)]


class Status(StrEnum):
    """Where a reviewer stands; only `active` reviewers are drawn."""

    ACTIVE = "active"
    PAUSED = "paused"
    SUSPENDED = "suspended"
    RETIRED = "retired"


class Outcome(StrEnum):
    """What one invitation ended as, once its case was decided (one letter: stored in a rolling window)."""

    AGREED = "A"
    DISAGREED = "D"
    NO_SHOW = "N"


class Profile(BaseModel):
    """The signals a module feeds about a user (timestamps are timezone-aware, in UTC)."""

    model_config = ConfigDict(frozen=True)

    tags: TagSet = ()
    last_active_at: datetime
    registered_at: datetime
    credit_score: int = Field(ge=0, le=1000)
    region: Region | None = None


class Stats(BaseModel):
    """Lifetime quality counters of one reviewer."""

    model_config = ConfigDict(frozen=True)

    invited: int = 0
    voted: int = 0
    no_shows: int = 0
    agreed: int = 0


class Fatigue(BaseModel):
    """Load counters: open invitations now, and assignments per UTC day (`daily[YYYY-MM-DD]`)."""

    model_config = ConfigDict(frozen=True)

    open_invitations: int = 0
    daily: dict[str, int] = Field(default_factory=dict)

    def assigned_on(self, day: str) -> int:
        """Assignments made on `day` (an ISO date)."""
        return self.daily.get(day, 0)


class StatusNote(BaseModel):
    """Who changed the status last, why, and when."""

    model_config = ConfigDict(frozen=True)

    reason: str
    by: str
    at: datetime


class Reviewer(BaseModel):
    """A user with a profile; `status` is None until enrollment admits them."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    profile: Profile
    status: Status | None = None
    note: StatusNote | None = None
    stats: Stats = Stats()
    fatigue: Fatigue = Fatigue()
    recent: tuple[Outcome, ...] = ()
    rev: int = 0

    def with_status(self, status: Status, reason: str, by: str, at: datetime) -> Reviewer:
        """A copy moved to `status`, noting who moved it and why."""
        return self.model_copy(update={"status": status, "note": StatusNote(reason=reason, by=by, at=at)})

    def with_profile(self, profile: Profile) -> Reviewer:
        """A copy carrying new profile signals."""
        return self.model_copy(update={"profile": profile})
