"""Mall items and redemptions in the reward table.

Keys: item `ITEM#<id> / ITEM` (catalogue through `gsi1`: `MALL / ITEM#<id>`); redemption
`REDEMPTION#<id> / REDEMPTION` (a user's through `gsi1`: `USER#<id>#REDEMPTIONS / <time>#<id>`).
A redemption debits stock and balance and writes its ledger entry in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quorum_common.dynamo import Item, Table, TransactionCancelled
from quorum_reward.adapters.ledger_repo import NEW, entry_ops, user_pk
from quorum_reward.adapters.versioned import save_versioned
from quorum_reward.domain.errors import (
    DuplicateRedemption,
    InsufficientPoints,
    InsufficientStock,
    ItemNotFound,
    PriceChanged,
    WriteConflict,
)
from quorum_reward.domain.ledger import LedgerEntry
from quorum_reward.domain.mall import ItemSpec, MallItem, Redemption

CATALOGUE_PK = "MALL"
FIELDS = ("name", "cost_points", "stock")
REDEMPTION, STOCK, ENTRY, BALANCE = range(4)  # operation order of a redemption transaction


def item_key(item_id: str) -> dict[str, str]:
    return {"pk": f"ITEM#{item_id}", "sk": "ITEM"}


def mall_item(row: Item) -> MallItem:
    """A stored item without its key attributes (the model forbids unknown fields)."""
    return MallItem.model_validate({name: value for name, value in row.items() if name in MallItem.model_fields})


class DynamoMallRepository:
    """`MallRepository` on DynamoDB."""

    def __init__(self, table: Table):
        self.table = table

    def items(self) -> list[MallItem]:
        rows = self.table.query("gsi1pk = :pk AND begins_with(gsi1sk, :item)", {":pk": CATALOGUE_PK, ":item": "ITEM#"},
                                index="gsi1")
        return [mall_item(row) for row in rows]

    def item(self, item_id: str) -> MallItem | None:
        row = self.table.get(item_key(item_id))
        return mall_item(row) if row else None

    def save_item(self, item_id: str, spec: ItemSpec, now: datetime) -> MallItem:
        values = {**spec.model_dump(), "item_id": item_id, "updated_at": now.isoformat(),
                  "gsi1pk": CATALOGUE_PK, "gsi1sk": f"ITEM#{item_id}"}
        return mall_item(save_versioned(self.table, item_key(item_id), values, FIELDS))

    def record_redemption(self, redemption: Redemption, entry: LedgerEntry) -> None:
        try:
            self.table.transact([self._redemption(redemption), self._stock_debit(redemption),
                                 *entry_ops(self.table, entry)])
        except TransactionCancelled as cancelled:
            raise _redemption_refusal(cancelled, redemption) from cancelled

    def redemptions(self, user_id: str, limit: int) -> list[Redemption]:
        rows = self.table.query("gsi1pk = :pk", {":pk": f"{user_pk(user_id)}#REDEMPTIONS"}, index="gsi1",
                                limit=limit, newest_first=True)
        return [Redemption.model_validate(row) for row in rows]

    def _redemption(self, r: Redemption) -> dict[str, Any]:
        stored = {"pk": f"REDEMPTION#{r.redemption_id}", "sk": "REDEMPTION", "gsi1pk": f"{user_pk(r.user_id)}#REDEMPTIONS",
                  "gsi1sk": f"{r.created_at.isoformat()}#{r.redemption_id}", **r.model_dump(mode="json")}
        return self.table.put_op(stored, NEW, return_old=True)

    def _stock_debit(self, r: Redemption) -> dict[str, Any]:
        return self.table.update_op(item_key(r.item_id), "SET stock = stock - :q", {":q": r.quantity, ":unit": r.unit_cost},
                                    condition="attribute_exists(pk) AND stock >= :q AND cost_points = :unit",
                                    return_old=True)


def _redemption_refusal(cancelled: TransactionCancelled, redemption: Redemption) -> Exception:
    if cancelled.failed(REDEMPTION):
        return DuplicateRedemption(Redemption.model_validate(cancelled.items[REDEMPTION] or {}))
    if cancelled.failed(STOCK):
        return _stock_refusal(cancelled.items[STOCK], redemption)
    if cancelled.failed(BALANCE):
        return InsufficientPoints(f"This redemption costs {redemption.cost_points} points; your balance is lower.")
    return WriteConflict(str(cancelled))


def _stock_refusal(old: Item | None, redemption: Redemption) -> Exception:
    if old is None:
        return ItemNotFound(f"No mall item {redemption.item_id!r}.")
    if old["cost_points"] != redemption.unit_cost:
        return PriceChanged()
    return InsufficientStock(f"Only {old['stock']} left of {redemption.item_id!r}.")
