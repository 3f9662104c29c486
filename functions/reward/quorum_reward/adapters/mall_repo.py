"""Mall items and redemptions in the reward table.

Keys: item `ITEM#<id> / ITEM` (catalogue through `gsi1`: `MALL / ITEM#<id>`); redemption
`REDEMPTION#<id> / REDEMPTION` (a user's through `gsi1`: `USER#<id>#REDEMPTIONS / <time>#<id>`).
A redemption debits balance and stock and writes its ledger entry in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quorum_reward.adapters.attributes import av, fields, item
from quorum_reward.adapters.dynamo import Cancelled, ConditionFailed, Table
from quorum_reward.adapters.ledger_repo import BALANCE_SK, entry_put, user_pk
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
REDEMPTION, STOCK, BALANCE, ENTRY = range(4)  # operation order of a redemption transaction


def item_key(item_id: str) -> dict[str, Any]:
    return {"pk": av(f"ITEM#{item_id}"), "sk": av("ITEM")}


class DynamoMallRepository:
    """`MallRepository` on DynamoDB."""

    def __init__(self, table: Table):
        self.table = table

    def items(self) -> list[MallItem]:
        return [MallItem.model_validate(fields(raw)) for raw in self.table.query(CATALOGUE_PK, "ITEM#", index="gsi1")]

    def item(self, item_id: str) -> MallItem | None:
        raw = self.table.get(f"ITEM#{item_id}", "ITEM")
        return MallItem.model_validate(fields(raw)) if raw else None

    def save_item(self, item_id: str, spec: ItemSpec, now: datetime) -> MallItem:
        names = (*FIELDS, "item_id", "updated_at", "gsi1pk", "gsi1sk")
        values = {**spec.model_dump(), "item_id": item_id, "updated_at": now.isoformat(),
                  "gsi1pk": CATALOGUE_PK, "gsi1sk": f"ITEM#{item_id}"}
        try:
            raw = self.table.update(
                Key=item_key(item_id),
                UpdateExpression="SET " + ", ".join(f"#{n} = :{n}" for n in names) + " ADD #version :one",
                ConditionExpression="attribute_not_exists(pk) OR " + " OR ".join(f"#{n} <> :{n}" for n in FIELDS),
                ExpressionAttributeNames={f"#{n}": n for n in (*names, "version")},
                ExpressionAttributeValues={**{f":{n}": av(v) for n, v in values.items()}, ":one": av(1)})
        except ConditionFailed as same:  # identical to what is stored: nothing to write
            raw = same.old
        return MallItem.model_validate(fields(raw))

    def record_redemption(self, redemption: Redemption, entry: LedgerEntry) -> None:
        try:
            self.table.transact([self._redemption(redemption), self._stock_debit(redemption),
                                 self._balance_debit(redemption), entry_put(entry)])
        except Cancelled as cancelled:
            raise _redemption_refusal(cancelled, redemption) from cancelled

    def redemptions(self, user_id: str, limit: int) -> list[Redemption]:
        rows = self.table.query(f"{user_pk(user_id)}#REDEMPTIONS", limit=limit, newest_first=True, index="gsi1")
        return [Redemption.model_validate(fields(row)) for row in rows]

    def _redemption(self, r: Redemption) -> dict[str, Any]:
        stored = item(pk=f"REDEMPTION#{r.redemption_id}", sk="REDEMPTION", gsi1pk=f"{user_pk(r.user_id)}#REDEMPTIONS",
                      gsi1sk=f"{r.created_at.isoformat()}#{r.redemption_id}",
                      **r.model_dump(exclude={"created_at"}), created_at=r.created_at.isoformat())
        return {"Put": {"Item": stored, "ConditionExpression": "attribute_not_exists(pk)",
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}

    def _stock_debit(self, r: Redemption) -> dict[str, Any]:
        return {"Update": {"Key": item_key(r.item_id), "UpdateExpression": "SET stock = stock - :q",
                           "ConditionExpression": "attribute_exists(pk) AND stock >= :q AND cost_points = :unit",
                           "ExpressionAttributeValues": {":q": av(r.quantity), ":unit": av(r.unit_cost)},
                           "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}

    def _balance_debit(self, r: Redemption) -> dict[str, Any]:
        return {"Update": {"Key": {"pk": av(user_pk(r.user_id)), "sk": av(BALANCE_SK)},
                           "UpdateExpression": "SET balance = balance - :c, updated_at = :now",
                           "ConditionExpression": "balance >= :c",
                           "ExpressionAttributeValues": {":c": av(r.cost_points),
                                                         ":now": av(r.created_at.isoformat())}}}


def _redemption_refusal(cancelled: Cancelled, redemption: Redemption) -> Exception:
    if cancelled.failed(REDEMPTION):
        return DuplicateRedemption(Redemption.model_validate(fields(cancelled.items[REDEMPTION] or {})))
    if cancelled.failed(STOCK):
        return _stock_refusal(cancelled.items[STOCK], redemption)
    if cancelled.failed(BALANCE):
        return InsufficientPoints(f"This redemption costs {redemption.cost_points} points; your balance is lower.")
    return WriteConflict(str(cancelled))


def _stock_refusal(old: dict[str, Any] | None, redemption: Redemption) -> Exception:
    if old is None:
        return ItemNotFound(f"No mall item {redemption.item_id!r}.")
    if old["cost_points"] != redemption.unit_cost:
        return PriceChanged()
    return InsufficientStock(f"Only {old['stock']} left of {redemption.item_id!r}.")
