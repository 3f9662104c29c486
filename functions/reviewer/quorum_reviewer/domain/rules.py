"""The ops-configurable rules of the reviewer pool: enrollment, quality (suspension) and fatigue caps."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from quorum_reviewer.domain.model import TagSet


class EnrollmentRule(BaseModel):
    """Who may join the pool; `active_within_days` also decides when an active reviewer is paused."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    required_tags: TagSet = ()
    active_within_days: int = Field(default=7, ge=1, le=365)
    min_account_age_days: int = Field(default=90, ge=0, le=3650)
    min_credit_score: int = Field(default=600, ge=0, le=1000)


class QualityRule(BaseModel):
    """When a reviewer is suspended: rates over the last `window` outcomes, once `min_sample` exist."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    window: int = Field(default=20, ge=1, le=200)
    min_sample: int = Field(default=10, ge=1, le=200)
    max_no_show_rate: float = Field(default=0.5, ge=0.0, le=1.0)
    max_disagreement_rate: float = Field(default=0.5, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _sample_fits_window(self) -> QualityRule:
        if self.min_sample > self.window:
            raise ValueError("min_sample must not exceed window")
        return self


class FatigueCaps(BaseModel):
    """How much one reviewer may be asked: open invitations at once, assignments per UTC day."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_open_invitations: int = Field(default=3, ge=1, le=100)
    max_assignments_per_day: int = Field(default=20, ge=1, le=1000)


class ReviewerRules(BaseModel):
    """All reviewer rules, stored as one document; every field has the documented default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enrollment: EnrollmentRule = EnrollmentRule()
    quality: QualityRule = QualityRule()
    fatigue: FatigueCaps = FatigueCaps()
