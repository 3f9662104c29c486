"""The points ledger: every change of a balance is one entry; the balance is their sum."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from quorum_reward.domain.grants import Grant
from quorum_reward.domain.mall import Redemption

EntryKind = Literal["grant", "redemption"]


class LedgerEntry(BaseModel):
    """One credit (a grant, points >= 0) or debit (a redemption, points < 0) of a user's balance."""

    model_config = ConfigDict(frozen=True)

    entry_id: str
    user_id: str
    kind: EntryKind
    points: int
    created_at: datetime
    case_id: str | None = None
    module: str | None = None
    earned: int | None = None
    redemption_id: str | None = None
    item_id: str | None = None
    quantity: int | None = None


def grant_entry(grant: Grant) -> LedgerEntry:
    """The credit a grant writes (points may be 0 when the daily cap trimmed it away)."""
    return LedgerEntry(entry_id=grant.entry_id, user_id=grant.reviewer_id, kind="grant", points=grant.points,
                       created_at=grant.granted_at, case_id=grant.case_id, module=grant.module,
                       earned=grant.earned)


def redemption_entry(redemption: Redemption) -> LedgerEntry:
    """The debit a redemption writes."""
    return LedgerEntry(entry_id=redemption.redemption_id, user_id=redemption.user_id, kind="redemption",
                       points=-redemption.cost_points, created_at=redemption.created_at,
                       redemption_id=redemption.redemption_id, item_id=redemption.item_id,
                       quantity=redemption.quantity)


def debit_floor(points: int) -> int:
    """The lowest balance a debit of `points` may be taken from: a debit never takes a balance below zero."""
    return points


def can_debit(balance: int, points: int) -> bool:
    """A debit may never take a balance below zero (storage encodes this as `balance >= debit_floor`)."""
    return points >= 0 and balance >= debit_floor(points)


def balance_of(entries: list[LedgerEntry]) -> int:
    """The balance a ledger implies: the sum of its entries."""
    return sum(entry.points for entry in entries)
