"""Seats after the draw: releasing them, recording outcomes exactly once, and the reviewer's inbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from quorum_common.vocabulary import Decision
from quorum_reviewer.domain.invitation import Invitation, SeatState
from quorum_reviewer.domain.quality import outcome_of
from quorum_reviewer.service.ports import OutcomeLedger, Recorded, SeatLedger


@dataclass(frozen=True)
class ReleaseSeat:
    """A seat that ended: its reviewer voted, or its window expired."""

    case_id: str
    reviewer_id: str
    outcome: SeatState


@dataclass(frozen=True)
class RecordOutcomes:
    """A decided case: who was invited (any round) and who voted what."""

    case_id: str
    decision: Decision
    invited: tuple[str, ...]
    verdicts: dict[str, Decision] = field(default_factory=dict)


@dataclass(frozen=True)
class OutcomesRecorded:
    """How many (case, reviewer) outcomes were new, already recorded, or for unknown reviewers."""

    counts: dict[Recorded, int]
    released: int


def release_seat(cmd: ReleaseSeat, seats: SeatLedger, now: datetime) -> bool:
    """Free the seat's fatigue slot and mark the invitation; True only the first time."""
    return seats.release(cmd.case_id, cmd.reviewer_id, cmd.outcome, now)


def record_outcomes(cmd: RecordOutcomes, outcomes: OutcomeLedger, seats: SeatLedger,
                    now: datetime) -> OutcomesRecorded:
    """Update each invited reviewer's stats once, then free any seat of the case still open."""
    counts = dict.fromkeys(Recorded, 0)
    for reviewer_id in dict.fromkeys(cmd.invited):
        outcome = outcome_of(cmd.verdicts.get(reviewer_id), cmd.decision)
        counts[outcomes.record(cmd.case_id, reviewer_id, outcome, now)] += 1
    released = sum(seats.release(cmd.case_id, i.reviewer_id, _ended_as(i, cmd), now)
                   for i in seats.invitations_for(cmd.case_id) if i.state is SeatState.OPEN)
    return OutcomesRecorded(counts=counts, released=released)


def _ended_as(invitation: Invitation, cmd: RecordOutcomes) -> SeatState:
    return SeatState.VOTED if invitation.reviewer_id in cmd.verdicts else SeatState.EXPIRED


def list_tasks(reviewer_id: str, seats: SeatLedger, now: datetime) -> list[Invitation]:
    """The reviewer's open invitations whose deadline has not passed, soonest deadline first."""
    visible = [i for i in seats.inbox(reviewer_id) if i.is_visible(now)]
    return sorted(visible, key=lambda i: (i.brief.deadline is None, i.brief.deadline or now, i.case_id))
