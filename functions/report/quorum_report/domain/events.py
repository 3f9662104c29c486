"""What the report capability tells the world, named in the past tense."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from quorum_report.domain.case import Decision


class ReviewerInvited(BaseModel):
    """One invitation: the push provider fans out on `reviewer_id`."""

    model_config = ConfigDict(frozen=True)

    reviewer_id: str
    case_id: str
    module: str
    deadline: datetime


class CaseDecided(BaseModel):
    """A verdict, for the module that owns the content (filtered on `module` and `decision`)."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    module: str
    target_id: str
    decision: Decision
    decided_at: datetime
    votes_for_violation: int
    votes_for_no_violation: int


class CaseEscalated(BaseModel):
    """An alert for ops: a case needs a human decision."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    module: str
    target_id: str
    reason: str
    escalated_at: datetime
    votes_for_violation: int
    votes_for_no_violation: int
