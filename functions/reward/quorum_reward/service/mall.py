"""Use cases of the points mall: the catalogue, item upkeep and redemptions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from quorum_common.errors import TransientError
from quorum_common.idempotency import IdempotencyKeyReused
from quorum_reward.domain.errors import DuplicateRedemption, ItemNotFound, PriceChanged, WriteConflict
from quorum_reward.domain.ledger import redemption_entry
from quorum_reward.domain.mall import ITEM_ID_PATTERN, MAX_QUANTITY, ItemSpec, MallItem, Redemption, price, redemption_id_for, same_request
from quorum_reward.service.ports import MallRepository

MAX_ATTEMPTS = 8


class Redeem(BaseModel):
    """A user's request to redeem; `idempotency_key` is the caller's `Idempotency-Key`, if sent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user_id: str = Field(min_length=1)
    item_id: str = Field(pattern=ITEM_ID_PATTERN)
    quantity: int = Field(ge=1, le=MAX_QUANTITY)
    idempotency_key: str | None = None


def put_item(item_id: str, spec: ItemSpec, mall: MallRepository, now: datetime) -> MallItem:
    """Create or update a catalogue item."""
    return mall.save_item(item_id, spec, now)


def redeem(command: Redeem, mall: MallRepository, clock: Callable[[], datetime]) -> Redemption:
    """Debit points and stock in one write; a replay of the same (user, key) returns the first result."""
    redemption_id = redemption_id_for(command.user_id, command.idempotency_key)
    for _ in range(MAX_ATTEMPTS):
        item = mall.item(command.item_id)
        if item is None:
            raise ItemNotFound(f"No mall item {command.item_id!r}.")
        redemption = price(item, command.user_id, command.quantity, redemption_id, clock())
        try:
            mall.record_redemption(redemption, redemption_entry(redemption))
        except DuplicateRedemption as dup:
            return _replayed(dup.existing, command)
        except (PriceChanged, WriteConflict):
            continue
        return redemption
    raise TransientError("The item is in high demand; retry the redemption.")


def _replayed(existing: Redemption, command: Redeem) -> Redemption:
    if not same_request(existing, command.item_id, command.quantity):
        raise IdempotencyKeyReused("This Idempotency-Key was used with another request body.")
    return existing
