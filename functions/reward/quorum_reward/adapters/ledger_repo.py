"""Grants, balances and ledger entries in the reward table.

Keys: balance `USER#<id> / BALANCE`; entry `USER#<id> / ENTRY#<time>#<entry id>` (newest last);
daily total `USER#<id> / DAY#<yyyy-mm-dd>#<module>`; grant marker `GRANT#<case> / REVIEWER#<id>`.
A grant writes all four in one transaction, so a marker exists exactly when its entry does; every
entry moves the balance by its own points in the same transaction, so the balance is their sum.
"""

from __future__ import annotations

from typing import Any

from quorum_common.dynamo import Table, TransactionCancelled
from quorum_common.vocabulary import Module
from quorum_reward.domain.errors import AlreadyGranted, DailyTotalMoved, WriteConflict
from quorum_reward.domain.grants import CaseGrant, Grant, highest_total_for
from quorum_reward.domain.ledger import LedgerEntry, debit_floor, grant_entry

BALANCE_SK = "BALANCE"
MARKER, ENTRY, BALANCE, DAY = range(4)  # operation order of a grant transaction
NEW = "attribute_not_exists(pk)"


def user_pk(user_id: str) -> str:
    return f"USER#{user_id}"


def entry_ops(table: Table, entry: LedgerEntry) -> list[dict[str, Any]]:
    """The two operations of every ledger entry: put it, and move the balance by its points.

    A debit (points < 0) is refused unless the balance is at least the domain's `debit_floor`.
    """
    sk = f"ENTRY#{entry.created_at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{entry.entry_id}"
    put = table.put_op({"pk": user_pk(entry.user_id), "sk": sk, **entry.model_dump(mode="json")}, NEW)
    debit = entry.points < 0
    values = {":p": entry.points, ":now": entry.created_at.isoformat(),
              **({":floor": debit_floor(-entry.points)} if debit else {})}
    move = table.update_op({"pk": user_pk(entry.user_id), "sk": BALANCE_SK}, "ADD balance :p SET updated_at = :now",
                           values, condition="balance >= :floor" if debit else None)
    return [put, move]


class DynamoLedgerRepository:
    """`LedgerRepository` on DynamoDB."""

    def __init__(self, table: Table):
        self.table = table

    def granted_on(self, reviewer_id: str, module: Module, day: str) -> int:
        found = self.table.get({"pk": user_pk(reviewer_id), "sk": f"DAY#{day}#{module}"})
        return int(found["granted"]) if found else 0

    def record_grant(self, grant: Grant, daily_cap: int) -> None:
        operations = [self._marker(grant), *entry_ops(self.table, grant_entry(grant))]
        if grant.points:
            operations.append(self._day_total(grant, daily_cap))
        try:
            self.table.transact(operations)
        except TransactionCancelled as cancelled:
            raise _grant_refusal(cancelled) from cancelled

    def case_grants(self, case_id: str) -> list[CaseGrant]:
        rows = self.table.query("pk = :pk", {":pk": f"GRANT#{case_id}"})
        return [CaseGrant(reviewer_id=row["sk"].removeprefix("REVIEWER#"), points=int(row["points"]),
                          granted_at=row["granted_at"]) for row in rows]

    def balance(self, user_id: str) -> int:
        found = self.table.get({"pk": user_pk(user_id), "sk": BALANCE_SK})
        return int(found["balance"]) if found else 0

    def entries(self, user_id: str, limit: int) -> list[LedgerEntry]:
        rows = self.table.query("pk = :pk AND begins_with(sk, :entry)", {":pk": user_pk(user_id), ":entry": "ENTRY#"},
                                limit=limit, newest_first=True)
        return [LedgerEntry.model_validate(row) for row in rows]

    def _marker(self, grant: Grant) -> dict[str, Any]:
        marker = {"pk": f"GRANT#{grant.case_id}", "sk": f"REVIEWER#{grant.reviewer_id}", "points": grant.points,
                  "entry_id": grant.entry_id, "granted_at": grant.granted_at.isoformat()}
        return self.table.put_op(marker, NEW, return_old=True)

    def _day_total(self, grant: Grant, daily_cap: int) -> dict[str, Any]:
        # The total after this grant stays within the cap whatever was added since we read it.
        key = {"pk": user_pk(grant.reviewer_id), "sk": f"DAY#{grant.day}#{grant.module}"}
        return self.table.update_op(key, "ADD granted :p", {":p": grant.points,
                                                            ":limit": highest_total_for(grant.points, daily_cap)},
                                    condition="attribute_not_exists(granted) OR granted <= :limit")


def _grant_refusal(cancelled: TransactionCancelled) -> Exception:
    if cancelled.failed(MARKER):
        return AlreadyGranted(points=int((cancelled.items[MARKER] or {}).get("points", 0)))
    if cancelled.failed(DAY):
        return DailyTotalMoved()
    return WriteConflict(str(cancelled))
