"""Ports of the reviewer use cases: what they need from storage, as Protocols.

DynamoDB adapters implement them in `quorum_reviewer.adapters`; unit tests use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from quorum_reviewer.domain.draw import Candidate
from quorum_reviewer.domain.invitation import Invitation, SeatState
from quorum_reviewer.domain.model import Outcome, Reviewer
from quorum_reviewer.domain.rules import FatigueCaps, ReviewerRules

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a walk; `cursor` continues it (None: the walk is complete)."""

    items: list[T]
    cursor: Any = None


class Recorded(StrEnum):
    """What recording one (case, reviewer) outcome did."""

    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    UNKNOWN_REVIEWER = "unknown_reviewer"


class ReviewerRepository(Protocol):
    """Reviewers (profile, status, counters), written with optimistic concurrency on `rev`."""

    def get(self, user_id: str) -> Reviewer | None: ...

    def get_many(self, user_ids: Sequence[str]) -> dict[str, Reviewer]: ...

    def save(self, reviewer: Reviewer, previous: Reviewer | None) -> None:
        """Write profile and status (and pool membership); raise ConcurrentUpdate if `previous` is stale."""

    def walk(self, cursor: str | None, limit: int) -> Page[Reviewer]:
        """Every profile, a page at a time (opaque string cursor)."""

    def tidy(self, reviewer: Reviewer, window: int, today: str) -> None:
        """Drop outcomes older than the last `window` and daily counters of past days."""


class RulesStore(Protocol):
    """The one stored rules document (defaults when none was stored)."""

    def get(self) -> ReviewerRules: ...

    def put(self, rules: ReviewerRules) -> None: ...


class DrawIndex(Protocol):
    """The random-key index of a pool, read in key order."""

    def page(self, pool: str, lower: float, upper: float | None, limit: int, cursor: Any,
             today: str) -> Page[Candidate]:
        """Entries with lower <= draw_key (< upper), at most `limit`, after `cursor`."""


@dataclass(frozen=True)
class Reservation:
    """One seat to take atomically: the fatigue slot, the invitation, and the entry's new key."""

    candidate: Candidate
    invitation: Invitation
    tags: tuple[str, ...]
    caps: FatigueCaps
    today: str
    new_key: float = field(default=0.0)


@dataclass(frozen=True)
class RoundRecord:
    """A round's draw reservation; `reviewer_ids` is None while its draw is still running."""

    reviewer_ids: list[str] | None
    short_by: int = 0


class SeatLedger(Protocol):
    """Invitations, the fatigue slots they hold, and the one-draw-per-round reservations."""

    def claim_round(self, case_id: str, round_: int, now: datetime, lease_until: datetime) -> RoundRecord | None:
        """Reserve the round's draw until `lease_until`; None when reserved now, else the reservation found."""

    def finish_round(self, case_id: str, round_: int, drawn: RoundRecord) -> None:
        """Store the round's panel on its reservation, for every later draw of the round."""

    def invitations_for(self, case_id: str) -> list[Invitation]: ...

    def reserve(self, reservation: Reservation) -> bool:
        """Take the seat if the reviewer is still active, under both caps and not yet invited."""

    def release(self, case_id: str, reviewer_id: str, state: SeatState, now: datetime) -> bool:
        """Close an open invitation and free its slot; False if it was not open (exactly once)."""

    def inbox(self, reviewer_id: str) -> list[Invitation]: ...


class OutcomeLedger(Protocol):
    """Quality stats, updated exactly once per (case, reviewer)."""

    def record(self, case_id: str, reviewer_id: str, outcome: Outcome, now: datetime) -> Recorded: ...


@dataclass(frozen=True)
class ReviewerPorts:
    """Everything the use cases may touch."""

    reviewers: ReviewerRepository
    rules: RulesStore
    pool: DrawIndex
    seats: SeatLedger
    outcomes: OutcomeLedger
