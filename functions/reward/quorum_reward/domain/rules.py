"""Reward rules: how many points a vote earns in each module, and the daily cap."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from quorum_common.vocabulary import Module

MAX_POINTS = 100_000
MAX_DAILY_CAP = 10_000_000


class RewardRule(BaseModel):
    """Points per vote cast, bonus when the vote matches the decision, cap per reviewer and UTC day."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    points_per_vote: int = Field(ge=0, le=MAX_POINTS)
    consensus_bonus: int = Field(ge=0, le=MAX_POINTS)
    daily_cap: int = Field(ge=0, le=MAX_DAILY_CAP)


DEFAULT_RULE = RewardRule(points_per_vote=10, consensus_bonus=5, daily_cap=200)


class ModuleRule(RewardRule):
    """The rule in force for one module; version 0 and no `updated_at` mean the default applies."""

    module: Module
    version: int = Field(default=0, ge=0)
    updated_at: datetime | None = None

    @property
    def is_default(self) -> bool:
        return self.version == 0


def default_rule(module: Module) -> ModuleRule:
    """The rule used while ops have stored none for `module`."""
    return ModuleRule(module=module, **DEFAULT_RULE.model_dump())


def rule_or_default(module: Module, stored: ModuleRule | None) -> ModuleRule:
    """The stored rule if there is one, else the default."""
    return stored if stored is not None else default_rule(module)
