"""Voting policies: versioned per module; a case keeps the version it started with."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StringConstraints, field_validator

from quorum_common.errors import InvalidInput
from quorum_common.vocabulary import MODULES, Module

MAX_PANEL = 99  # a round's seats and its case update fit in one 100-item transaction
MIN_WINDOW_SECONDS = 1
MAX_WINDOW_SECONDS = 7 * 24 * 3600
MAX_SUBSTITUTE_ROUNDS = 5

Tag = Annotated[str, StringConstraints(max_length=32, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]  # as the reviewer service


class PolicyRules(BaseModel):
    """The tunable fields of a policy, each within its own bounds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    panel_size: int = Field(ge=1, le=MAX_PANEL)
    votes_to_win: int = Field(ge=1, le=MAX_PANEL)
    vote_window_seconds: int = Field(ge=MIN_WINDOW_SECONDS, le=MAX_WINDOW_SECONDS)
    substitute_rounds: int = Field(default=2, ge=0, le=MAX_SUBSTITUTE_ROUNDS)
    min_votes: int | None = Field(default=None, ge=1, le=MAX_PANEL)
    reviewer_tags: tuple[Tag, ...] = Field(default=(), max_length=10)
    max_region_share: StrictFloat = Field(default=1.0, gt=0, le=1, allow_inf_nan=False)  # of one round's seats
    balance: Literal["strict", "prefer"] = "prefer"  # strict: an empty seat rather than a region over its share

    @field_validator("panel_size", "votes_to_win", "vote_window_seconds", "substitute_rounds", "min_votes",
                     mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object) -> object:
        if isinstance(value, bool):  # JSON true would otherwise count as 1
            raise ValueError("must be a whole number, not true or false")
        return value


class Policy(PolicyRules):
    """A stored (or built-in) version of one module's rules."""

    module: Module
    version: int = Field(ge=1)
    min_votes: int = Field(ge=1, le=MAX_PANEL)
    updated_at: datetime | None = None
    updated_by: str | None = Field(default=None, max_length=128)


def rule_violations(rules: PolicyRules) -> list[dict[str, str]]:
    """The cross-field rules a policy breaks, as `{field, message}` (empty when it is sound)."""
    problems = []
    if rules.votes_to_win * 2 <= rules.panel_size:
        problems.append({"field": "votes_to_win", "message": "must be more than half of panel_size"})
    if rules.votes_to_win > rules.panel_size:
        problems.append({"field": "votes_to_win", "message": "must not exceed panel_size"})
    if rules.min_votes is not None and rules.min_votes > rules.panel_size:
        problems.append({"field": "min_votes", "message": "must not exceed panel_size"})
    return problems


def new_version(module: str, rules: PolicyRules, version: int, at: datetime, by: str) -> Policy:
    """Version `version` of `module`'s policy; raise `InvalidInput` if the rules contradict."""
    problems = rule_violations(rules)
    if problems:
        raise InvalidInput("The policy breaks a voting rule.", code="invalid_policy", details=problems)
    fields = rules.model_dump()
    fields["min_votes"] = rules.min_votes or rules.votes_to_win
    return Policy(module=module, version=version, updated_at=at, updated_by=by, **fields)


_DEFAULT_RULES: dict[str, tuple[int, int, int, tuple[str, ...]]] = {
    # module: (panel_size, votes_to_win, window hours, reviewer_tags) - ARCHITECTURE.md §2
    "listing": (5, 3, 24, ()),
    "post": (5, 3, 24, ()),
    "comment": (3, 2, 12, ()),
    "chat": (5, 3, 24, ("trusted",)),
    "review": (3, 2, 12, ()),
}


def default_policy(module: str) -> Policy:
    """The built-in version 1 of a module's policy, used until ops store another."""
    panel, to_win, hours, tags = _DEFAULT_RULES[module]
    return Policy(module=module, version=1, panel_size=panel, votes_to_win=to_win,
                  vote_window_seconds=hours * 3600, substitute_rounds=2, min_votes=to_win,
                  reviewer_tags=tags)


def default_policies() -> list[Policy]:
    """The built-in policy of every module."""
    return [default_policy(module) for module in MODULES]
