"""Decision rules of a case: the early win, the final rule, and what follows a closed round."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quorum_report.domain.case import Case, Decision, Tally
from quorum_report.domain.policy import Policy

SIDES: tuple[Decision, Decision] = ("violation", "no_violation")
NextStep = Literal["substitute", "decide", "escalate"]


@dataclass(frozen=True)
class RoundPlan:
    """What the lifecycle does after a round closed (or found no reviewer at all)."""

    next: NextStep
    decision: Decision | None = None
    seats_needed: int = 0
    reason: str | None = None


def winner(tally: Tally, votes_to_win: int) -> Decision | None:
    """The side that reached `votes_to_win`, if any (at most one can: it is a majority)."""
    return next((side for side in SIDES if tally.of(side) >= votes_to_win), None)


def final_rule(tally: Tally, min_votes: int) -> Decision | None:
    """At the last window: enough votes and one side strictly ahead wins; else nobody."""
    if tally.total < min_votes or tally.violation == tally.no_violation:
        return None
    return "violation" if tally.violation > tally.no_violation else "no_violation"


def missing_seats(policy: Policy, tally: Tally) -> int:
    """Seats without a vote: a substitute round fills only these."""
    return max(0, policy.panel_size - tally.total)


def may_substitute(policy: Policy, closed_round: int) -> bool:
    """Round 1 is the panel; rounds 2 .. substitute_rounds + 1 are substitutes."""
    return closed_round <= policy.substitute_rounds


def plan_after_round(policy: Policy, tally: Tally, closed_round: int, *, pool_exhausted: bool = False) -> RoundPlan:
    """After a window ended: decide on a win, else substitute the missing seats, else the final rule."""
    won = winner(tally, policy.votes_to_win)
    if won:
        return RoundPlan("decide", decision=won, reason="votes_to_win")
    missing = missing_seats(policy, tally)
    if missing and not pool_exhausted and may_substitute(policy, closed_round):
        return RoundPlan("substitute", seats_needed=missing)
    return apply_final_rule(policy, tally)


def apply_final_rule(policy: Policy, tally: Tally) -> RoundPlan:
    """Decide by the final rule, or escalate to ops when it names no side."""
    decided = final_rule(tally, policy.min_votes)
    if decided:
        return RoundPlan("decide", decision=decided, reason="final_rule")
    return RoundPlan("escalate", reason="no_majority")


def plan_for_empty_draw(policy: Policy, tally: Tally, round_: int) -> RoundPlan:
    """No reviewer could be drawn: escalate at once in round 1, else close by the final rule."""
    if round_ == 1:
        return RoundPlan("escalate", reason="no_eligible_reviewers")
    return plan_after_round(policy, tally, round_, pool_exhausted=True)


def excluded_reviewers(case: Case) -> list[str]:
    """Who may never sit on this case's panel: reporters, the owner, everyone invited before."""
    return sorted(case.reporters | case.invited | {case.target.owner_id})
