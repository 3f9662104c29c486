"""What a round's draw needs from the case: the seats, who is excluded, and the brief the reviewers see."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from quorum_common.errors import NotFound
from quorum_report.domain.case import Case
from quorum_report.domain.masking import mask_text
from quorum_report.domain.rules import excluded_reviewers, missing_seats
from quorum_report.service.ports import LifecycleStore
from quorum_report.service.steps import Brief, DrawRound

BRIEF_TEXT_LIMIT = 4000  # what the reviewer service's inbox stores


def case_or_404(store: LifecycleStore, case_id: str) -> Case:
    case = store.get_case(case_id)
    if case is None:
        raise NotFound(f"No case {case_id}.", code="case_not_found")
    return case


def draw_state(case: Case, round_: int, now: datetime, next_: Literal["draw", "substitute"]) -> DrawRound:
    """What DrawPanel needs (seats, exclusions, tags, region balance) and the round's brief for the reviewers' inbox.

    The round's deadline is fixed here, before the draw, so the inbox, the seats and the
    window's timeout all share it.
    """
    deadline = now + timedelta(seconds=case.policy.vote_window_seconds)
    people = [*case.reporters, case.target.owner_id]
    text = mask_text(case.target.content.text, people)
    return DrawRound(case_id=case.case_id, module=case.module, round=round_,
                     seats_needed=missing_seats(case.policy, case.tally), exclude=excluded_reviewers(case),
                     tags=list(case.policy.reviewer_tags), max_region_share=case.policy.max_region_share,
                     balance=case.policy.balance, reason=case.reason,
                     content=Brief(text=text[:BRIEF_TEXT_LIMIT] if text else None,
                                   image_urls=list(case.target.content.image_urls)),
                     deadline=deadline.isoformat(), next=next_)


def eligible(case: Case, reviewer_ids: list[str]) -> list[str]:
    """The drawn ids that may sit: never an excluded person, never twice, never more than missing."""
    excluded = set(excluded_reviewers(case))
    unique = [r for r in dict.fromkeys(reviewer_ids) if r not in excluded]
    return unique[:missing_seats(case.policy, case.tally)]
