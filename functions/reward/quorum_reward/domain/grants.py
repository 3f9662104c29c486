"""Reward arithmetic: what one voter earns for one decided case, within the daily cap."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from quorum_common.vocabulary import Decision, EntityId, Module, as_utc, utc_day
from quorum_reward.domain.rules import RewardRule

GRANT_NAMESPACE = uuid.UUID("6f1c1d3e-5d0b-4f53-9a53-2a8f0c4b7e11")


class Vote(BaseModel):
    """One cast vote as the decision step reports it (no-shows are simply absent)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    reviewer_id: EntityId
    verdict: Decision


class Grant(BaseModel):
    """The reward of one voter for one case, after the cap: what the ledger records."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    module: Module
    reviewer_id: str
    verdict: Decision
    decision: Decision
    decided_at: datetime
    day: str
    earned: int = Field(ge=0)
    points: int = Field(ge=0)
    entry_id: str
    granted_at: datetime


class CaseGrant(BaseModel):
    """What one voter of a case was granted, and when: the case's record of its rewards."""

    model_config = ConfigDict(frozen=True)

    reviewer_id: str
    points: int
    granted_at: datetime


def vote_points(rule: RewardRule, verdict: Decision, decision: Decision) -> int:
    """Points per vote, plus the consensus bonus when the vote matches the decision."""
    return rule.points_per_vote + (rule.consensus_bonus if verdict == decision else 0)


def capped_points(earned: int, granted_today: int, daily_cap: int) -> int:
    """What fits under the cap: never negative, never past `daily_cap` for the day."""
    return max(0, min(earned, daily_cap - granted_today))


def highest_total_for(points: int, daily_cap: int) -> int:
    """The largest day total `points` may still be added to: the total after it stays within the cap."""
    return daily_cap - points


def fits_under_cap(granted_today: int, points: int, daily_cap: int) -> bool:
    """Whether `points` may be added to a day total of `granted_today` (storage re-checks this at write)."""
    return granted_today <= highest_total_for(points, daily_cap)


def unique_voters(votes: list[Vote]) -> list[Vote]:
    """One vote per reviewer (the first), in the order given."""
    seen: dict[str, Vote] = {}
    for vote in votes:
        seen.setdefault(vote.reviewer_id, vote)
    return list(seen.values())


def grant_entry_id(case_id: str, reviewer_id: str) -> str:
    """The same ledger entry id for the same (case, reviewer), whatever retries happen."""
    return str(uuid.uuid5(GRANT_NAMESPACE, f"grant\n{case_id}\n{reviewer_id}"))


def build_grant(case_id: str, module: Module, decision: Decision, decided_at: datetime, vote: Vote,
                rule: RewardRule, granted_today: int, now: datetime) -> Grant:
    """The grant for `vote`, trimmed to what the reviewer's day still allows."""
    earned = vote_points(rule, vote.verdict, decision)
    return Grant(case_id=case_id, module=module, reviewer_id=vote.reviewer_id, verdict=vote.verdict,
                 decision=decision, decided_at=as_utc(decided_at), day=utc_day(decided_at), earned=earned,
                 points=capped_points(earned, granted_today, rule.daily_cap),
                 entry_id=grant_entry_id(case_id, vote.reviewer_id), granted_at=as_utc(now))
