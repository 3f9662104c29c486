"""Quality: the rolling window of outcomes, its rates, and when they suspend a reviewer."""

from __future__ import annotations

from dataclasses import dataclass

from quorum_common.vocabulary import Decision
from quorum_reviewer.domain.model import Outcome, Reviewer, Stats, Status
from quorum_reviewer.domain.rules import QualityRule

SUSPENDABLE = frozenset({Status.ACTIVE, Status.PAUSED})


@dataclass(frozen=True)
class QualityRates:
    """Rates over a window: no-shows per outcome, disagreements per vote cast."""

    sample: int
    votes: int
    no_show_rate: float
    disagreement_rate: float


def outcome_of(verdict: Decision | None, decision: Decision) -> Outcome:
    """A reviewer's outcome on a decided case: no vote, a vote with the decision, or against it."""
    if verdict is None:
        return Outcome.NO_SHOW
    return Outcome.AGREED if verdict == decision else Outcome.DISAGREED


def stats_delta(outcome: Outcome) -> Stats:
    """What one outcome adds to the lifetime counters."""
    voted = outcome is not Outcome.NO_SHOW
    return Stats(invited=1, voted=int(voted), no_shows=int(not voted), agreed=int(outcome is Outcome.AGREED))


def rates(window: tuple[Outcome, ...]) -> QualityRates:
    """No-show and disagreement rates of a window of outcomes (0.0 when there is nothing to divide)."""
    no_shows = window.count(Outcome.NO_SHOW)
    disagreed = window.count(Outcome.DISAGREED)
    votes = len(window) - no_shows
    return QualityRates(sample=len(window), votes=votes,
                        no_show_rate=no_shows / len(window) if window else 0.0,
                        disagreement_rate=disagreed / votes if votes else 0.0)


def window_of(reviewer: Reviewer, rule: QualityRule) -> tuple[Outcome, ...]:
    """The last `rule.window` outcomes of a reviewer."""
    return reviewer.recent[-rule.window:]


def suspension_reason(reviewer: Reviewer, rule: QualityRule) -> str | None:
    """Why the reviewer should be suspended now, or None (each rate needs `min_sample` observations)."""
    if reviewer.status not in SUSPENDABLE:
        return None
    r = rates(window_of(reviewer, rule))
    if r.sample >= rule.min_sample and r.no_show_rate > rule.max_no_show_rate:
        return f"no-show rate {r.no_show_rate:.2f} over the last {r.sample} outcomes"
    if r.votes >= rule.min_sample and r.disagreement_rate > rule.max_disagreement_rate:
        return f"disagreement rate {r.disagreement_rate:.2f} over the last {r.votes} votes"
    return None
