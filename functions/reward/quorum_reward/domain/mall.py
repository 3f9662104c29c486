"""The points mall: items with a price and a stock, and redemptions of them."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

ITEM_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
MAX_COST = 10_000_000
MAX_STOCK = 10_000_000
MAX_QUANTITY = 10
REDEMPTION_NAMESPACE = uuid.UUID("0b8e7a52-3c1f-4f0e-8d7c-6e2b9a4d1c35")


class ItemSpec(BaseModel):
    """What ops set for an item: a name, a price in points (>= 1) and a stock (>= 0)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    cost_points: int = Field(ge=1, le=MAX_COST)
    stock: int = Field(ge=0, le=MAX_STOCK)


class MallItem(ItemSpec):
    """An item of the catalogue as stored."""

    item_id: str = Field(pattern=ITEM_ID_PATTERN)
    version: int = Field(default=0, ge=0)
    updated_at: datetime | None = None


class Redemption(BaseModel):
    """A user's exchange of points for `quantity` units of an item, at the price of that moment."""

    model_config = ConfigDict(frozen=True)

    redemption_id: str
    user_id: str
    item_id: str
    item_name: str
    quantity: int = Field(ge=1, le=MAX_QUANTITY)
    unit_cost: int = Field(ge=1)
    cost_points: int = Field(ge=1)
    created_at: datetime


def redemption_id_for(user_id: str, idempotency_key: str | None) -> str:
    """The same id for the same (user, key), so a replay can never redeem twice; else a fresh one."""
    if idempotency_key is None:
        return str(uuid.uuid4())
    return str(uuid.uuid5(REDEMPTION_NAMESPACE, f"{user_id}\n{idempotency_key}"))


def price(item: MallItem, user_id: str, quantity: int, redemption_id: str, now: datetime) -> Redemption:
    """The redemption of `quantity` units of `item` at its current price."""
    return Redemption(redemption_id=redemption_id, user_id=user_id, item_id=item.item_id, item_name=item.name,
                      quantity=quantity, unit_cost=item.cost_points, cost_points=item.cost_points * quantity,
                      created_at=now)


def same_request(redemption: Redemption, item_id: str, quantity: int) -> bool:
    """Whether a stored redemption answers a request for `quantity` of `item_id`."""
    return redemption.item_id == item_id and redemption.quantity == quantity


def default_mall_items() -> list[MallItem]:
    """Demo catalogue for the local cloud (seed with `PUT /v1/mall/items/{item_id}`)."""
    return [
        MallItem(item_id="coupon-5", name="5-yuan shipping coupon", cost_points=50, stock=500),
        MallItem(item_id="badge-juror", name="Community juror badge", cost_points=100, stock=1000),
        MallItem(item_id="coupon-20", name="20-yuan purchase coupon", cost_points=200, stock=100),
        MallItem(item_id="tote-bag", name="Quorum tote bag", cost_points=500, stock=20),
    ]
