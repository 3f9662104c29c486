"""Grants, balances and ledger entries in the reward table.

Keys: balance `USER#<id> / BALANCE`; entry `USER#<id> / ENTRY#<time>#<entry id>` (newest last);
daily total `USER#<id> / DAY#<yyyy-mm-dd>#<module>`; grant marker `GRANT#<case> / REVIEWER#<id>`.
A grant writes all four in one transaction, so a marker exists exactly when its entry does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quorum_reward.adapters.attributes import av, fields, item
from quorum_reward.adapters.dynamo import Cancelled, Table
from quorum_reward.domain.errors import AlreadyGranted, DailyTotalMoved, WriteConflict
from quorum_reward.domain.grants import Grant
from quorum_reward.domain.ledger import LedgerEntry, grant_entry
from quorum_reward.domain.rules import Module

BALANCE_SK = "BALANCE"
MARKER, ENTRY, BALANCE, DAY = range(4)  # operation order of a grant transaction


def user_pk(user_id: str) -> str:
    return f"USER#{user_id}"


def entry_sk(entry: LedgerEntry) -> str:
    return f"ENTRY#{entry.created_at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{entry.entry_id}"


def entry_item(entry: LedgerEntry) -> dict[str, Any]:
    """The stored form of a ledger entry."""
    return item(pk=user_pk(entry.user_id), sk=entry_sk(entry),
                **entry.model_dump(exclude={"created_at"}), created_at=entry.created_at.isoformat())


def entry_put(entry: LedgerEntry) -> dict[str, Any]:
    """The transaction operation that writes a new ledger entry."""
    return {"Put": {"Item": entry_item(entry), "ConditionExpression": "attribute_not_exists(pk)"}}


def balance_credit(user_id: str, points: int, now: datetime) -> dict[str, Any]:
    """The balance update of a credit (no condition: a credit never takes a balance below zero)."""
    return {"Update": {"Key": {"pk": av(user_pk(user_id)), "sk": av(BALANCE_SK)},
                       "UpdateExpression": "ADD balance :p SET updated_at = :now",
                       "ExpressionAttributeValues": {":p": av(points), ":now": av(now.isoformat())}}}


class DynamoLedgerRepository:
    """`LedgerRepository` on DynamoDB."""

    def __init__(self, table: Table):
        self.table = table

    def granted_on(self, reviewer_id: str, module: Module, day: str) -> int:
        raw = self.table.get(user_pk(reviewer_id), f"DAY#{day}#{module}")
        return raw["granted"] if raw else 0

    def record_grant(self, grant: Grant, daily_cap: int) -> None:
        entry = grant_entry(grant)
        operations = [self._marker(grant), entry_put(entry),
                      balance_credit(grant.reviewer_id, grant.points, grant.granted_at)]
        if grant.points:
            operations.append(self._day_total(grant, daily_cap))
        try:
            self.table.transact(operations)
        except Cancelled as cancelled:
            raise _grant_refusal(cancelled) from cancelled

    def balance(self, user_id: str) -> int:
        raw = self.table.get(user_pk(user_id), BALANCE_SK)
        return raw["balance"] if raw else 0

    def entries(self, user_id: str, limit: int) -> list[LedgerEntry]:
        rows = self.table.query(user_pk(user_id), "ENTRY#", limit=limit, newest_first=True)
        return [LedgerEntry.model_validate(fields(row)) for row in rows]

    def _marker(self, grant: Grant) -> dict[str, Any]:
        marker = item(pk=f"GRANT#{grant.case_id}", sk=f"REVIEWER#{grant.reviewer_id}", points=grant.points,
                      entry_id=grant.entry_id, granted_at=grant.granted_at.isoformat())
        return {"Put": {"Item": marker, "ConditionExpression": "attribute_not_exists(pk)",
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}

    def _day_total(self, grant: Grant, daily_cap: int) -> dict[str, Any]:
        # The total after this grant stays within the cap whatever was added since we read it.
        key = {"pk": av(user_pk(grant.reviewer_id)), "sk": av(f"DAY#{grant.day}#{grant.module}")}
        return {"Update": {"Key": key, "UpdateExpression": "ADD granted :p",
                           "ConditionExpression": "attribute_not_exists(granted) OR granted <= :limit",
                           "ExpressionAttributeValues": {":p": av(grant.points),
                                                         ":limit": av(daily_cap - grant.points)}}}


def _grant_refusal(cancelled: Cancelled) -> Exception:
    if cancelled.failed(MARKER):
        return AlreadyGranted(points=(cancelled.items[MARKER] or {}).get("points", 0))
    if len(cancelled.codes) > DAY and cancelled.failed(DAY):
        return DailyTotalMoved()
    return WriteConflict(str(cancelled))
