"""Invitations: one per (case, reviewer), carrying what the reviewer's inbox shows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from quorum_common.vocabulary import EntityId
from quorum_reviewer.domain.model import Code

Url = Annotated[str, StringConstraints(max_length=2048, pattern=r"^https://")]


class SeatState(StrEnum):
    """An invitation is open until its reviewer votes or its window expires."""

    OPEN = "open"
    VOTED = "voted"
    EXPIRED = "expired"


def _text_as_content(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class MaskedContent(BaseModel):
    """The reported content as reviewers may see it (the report capability masks it before the draw)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str | None = Field(default=None, max_length=4000)
    image_urls: tuple[Url, ...] = Field(default=(), max_length=10)


ContentField = Annotated[MaskedContent | None, BeforeValidator(_text_as_content)]


class Brief(BaseModel):
    """What the inbox shows about a case; passed by the caller of the draw."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    module: Code | None = None
    reason: Code | None = None
    content: ContentField = None
    deadline: datetime | None = None


class Invitation(BaseModel):
    """One reviewer's seat on one case."""

    model_config = ConfigDict(frozen=True)

    case_id: EntityId
    reviewer_id: EntityId
    state: SeatState = SeatState.OPEN
    round: int | None = None
    brief: Brief = Brief()
    invited_at: datetime

    def is_visible(self, now: datetime) -> bool:
        """In the inbox: still open and its deadline (if any) not passed."""
        return self.state is SeatState.OPEN and (self.brief.deadline is None or self.brief.deadline > now)
