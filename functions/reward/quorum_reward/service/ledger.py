"""Use case: a user's balance and recent ledger entries."""

from __future__ import annotations

from pydantic import BaseModel

from quorum_reward.domain.ledger import LedgerEntry
from quorum_reward.service.ports import LedgerRepository


class MyRewards(BaseModel):
    balance: int
    entries: list[LedgerEntry]


def my_rewards(user_id: str, limit: int, ledger: LedgerRepository) -> MyRewards:
    """The balance and the newest `limit` entries of `user_id`."""
    return MyRewards(balance=ledger.balance(user_id), entries=ledger.entries(user_id, limit))
