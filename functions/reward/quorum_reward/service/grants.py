"""Use case: reward each voter of a decided case exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from quorum_common.errors import TransientError
from quorum_common.vocabulary import Decision, EntityId, Module, utc_day
from quorum_reward.domain.errors import AlreadyGranted, DailyTotalMoved, WriteConflict
from quorum_reward.domain.grants import Vote, build_grant, unique_voters
from quorum_reward.domain.rules import ModuleRule
from quorum_reward.service.ports import LedgerRepository, RuleRepository
from quorum_reward.service.rules import rule_in_force

MAX_ATTEMPTS = 8
MAX_VOTES = 500


class GrantRewards(BaseModel):
    """The decision a grant is for: the case, its module and decision, and the votes cast."""

    model_config = ConfigDict(frozen=True, extra="ignore")  # an internal event: tolerate new fields

    case_id: EntityId
    module: Module
    decision: Decision
    decided_at: datetime
    votes: list[Vote] = Field(max_length=MAX_VOTES)


class GrantResult(BaseModel):
    reviewer_id: str
    points: int


class GrantSummary(BaseModel):
    """Who got points from this call, and who had them already from an earlier delivery."""

    granted: list[GrantResult] = Field(default_factory=list)
    already_granted: list[GrantResult] = Field(default_factory=list)


def grant_rewards(command: GrantRewards, rules: RuleRepository, ledger: LedgerRepository,
                  clock: Callable[[], datetime]) -> GrantSummary:
    """Grant every voter of `command` once; a voter granted before lands in `already_granted`."""
    rule = rule_in_force(command.module, rules)
    summary = GrantSummary()
    for vote in unique_voters(command.votes):
        result, fresh = _grant_one(command, vote, rule, ledger, clock)
        (summary.granted if fresh else summary.already_granted).append(result)
    return summary


def _grant_one(command: GrantRewards, vote: Vote, rule: ModuleRule, ledger: LedgerRepository,
               clock: Callable[[], datetime]) -> tuple[GrantResult, bool]:
    day = utc_day(command.decided_at)
    for _ in range(MAX_ATTEMPTS):
        today = ledger.granted_on(vote.reviewer_id, command.module, day)
        grant = build_grant(command.case_id, command.module, command.decision, command.decided_at, vote,
                            rule, today, clock())
        try:
            ledger.record_grant(grant, daily_cap=rule.daily_cap)
        except AlreadyGranted as done:
            return GrantResult(reviewer_id=vote.reviewer_id, points=done.points), False
        except (DailyTotalMoved, WriteConflict):
            continue
        return GrantResult(reviewer_id=vote.reviewer_id, points=grant.points), True
    raise TransientError(f"Could not record the grant of {vote.reviewer_id} for {command.case_id}; retry.")
