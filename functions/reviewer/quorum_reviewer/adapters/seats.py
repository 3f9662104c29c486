"""Invitations, fatigue slots and outcome guards in DynamoDB, each change one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quorum_common.errors import TransientError
from quorum_reviewer.adapters.dynamo import PROFILE_SK, DynamoTable, Item, cancellation_codes, inbox_pk, invitation_key, iso, user_key
from quorum_reviewer.domain.invitation import Brief, Invitation, SeatState
from quorum_reviewer.domain.model import Outcome, Status
from quorum_reviewer.service.ports import Recorded, Reservation

CONFLICT_RETRIES = 3
NO_DEADLINE = "9999"


def invitation_item(invitation: Invitation) -> Item:
    """An open invitation, indexed in its reviewer's inbox (gsi1) until it is released."""
    deadline = iso(invitation.brief.deadline) if invitation.brief.deadline else NO_DEADLINE
    return {**invitation_key(invitation.case_id, invitation.reviewer_id), "kind": "invitation",
            "case_id": invitation.case_id, "reviewer_id": invitation.reviewer_id, "state": invitation.state.value,
            "round": invitation.round, "brief": invitation.brief.model_dump(mode="json", exclude_none=True),
            "invited_at": iso(invitation.invited_at), "gsi1pk": inbox_pk(invitation.reviewer_id),
            "gsi1sk": f"{deadline}#{invitation.case_id}"}


def invitation_from_item(item: Item) -> Invitation:
    return Invitation(case_id=item["case_id"], reviewer_id=item["reviewer_id"], state=item["state"],
                      round=item.get("round"), brief=Brief(**item.get("brief", {})), invited_at=item["invited_at"])


class DynamoSeatLedger:
    """`SeatLedger` and `OutcomeLedger` on the reviewer table."""

    def __init__(self, table: DynamoTable):
        self.table = table

    # ------------------------------------------------------------------ reads
    def invitations_for(self, case_id: str) -> list[Invitation]:
        return [invitation_from_item(i) for i in self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :invite)", ConsistentRead=True,
            ExpressionAttributeValues=self.table.values(pk=f"CASE#{case_id}", invite="INVITE#"))]

    def inbox(self, reviewer_id: str) -> list[Invitation]:
        return [invitation_from_item(i) for i in self._query(
            IndexName="gsi1", KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues=self.table.values(p=inbox_pk(reviewer_id)))]

    def _query(self, **kwargs: Any) -> list[Item]:
        items: list[Item] = []
        while True:
            response = self.table.call("query", TableName=self.table.name, **kwargs)
            items += [self.table.unmarshal(raw) for raw in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                return items
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # ------------------------------------------------------------------ seats
    def reserve(self, reservation: Reservation) -> bool:
        ops = [{"Update": self._take_slot(reservation)},
               {"Put": {"TableName": self.table.name, "Item": self.table.marshal(invitation_item(reservation.invitation)),
                        "ConditionExpression": "attribute_not_exists(pk)"}}]
        if reservation.candidate.entry != PROFILE_SK:
            ops.append({"Update": self._rekey_entry(reservation)})
        return not self._transact(ops)

    def _take_slot(self, r: Reservation) -> dict[str, Any]:
        """The fatigue slot: still active, tagged, under both caps; the daily counter is keyed by UTC day."""
        tag_values = {f"t{i}": tag for i, tag in enumerate(r.tags)}
        values: dict[str, Any] = dict(active=Status.ACTIVE.value, max_open=r.caps.max_open_invitations,
                                      max_day=r.caps.max_assignments_per_day, one=1, zero=0, **tag_values)
        condition = ("attribute_exists(pk) AND #status = :active AND open_invitations < :max_open"
                     " AND (attribute_not_exists(daily.#today) OR daily.#today < :max_day)"
                     + "".join(f" AND contains(tags, :{name})" for name in tag_values))
        expression = "ADD open_invitations :one SET daily.#today = if_not_exists(daily.#today, :zero) + :one"
        if r.candidate.entry == PROFILE_SK:  # hit through the reviewer item itself: re-randomise its key
            values["key"] = r.new_key
            expression += ", draw_key = :key"
        return {"TableName": self.table.name, "Key": self.table.marshal(user_key(r.candidate.user_id)),
                "UpdateExpression": expression, "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#status": "status", "#today": r.today},
                "ExpressionAttributeValues": self.table.values(**values)}

    def _rekey_entry(self, r: Reservation) -> dict[str, Any]:
        return {"TableName": self.table.name, "Key": self.table.marshal(user_key(r.candidate.user_id, r.candidate.entry)),
                "UpdateExpression": "SET draw_key = :key", "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeValues": self.table.values(key=r.new_key)}

    def release(self, case_id: str, reviewer_id: str, state: SeatState, now: datetime) -> bool:
        close = {"TableName": self.table.name, "Key": self.table.marshal(invitation_key(case_id, reviewer_id)),
                 "UpdateExpression": "SET #state = :ended, released_at = :now REMOVE gsi1pk, gsi1sk",
                 "ConditionExpression": "#state = :open", "ExpressionAttributeNames": {"#state": "state"},
                 "ExpressionAttributeValues": self.table.values(ended=state.value, now=iso(now), open=SeatState.OPEN.value)}
        free = {"TableName": self.table.name, "Key": self.table.marshal(user_key(reviewer_id)),
                "UpdateExpression": "ADD open_invitations :minus", "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeValues": self.table.values(minus=-1)}
        return not self._transact([{"Update": close}, {"Update": free}])

    # ------------------------------------------------------------------ outcomes
    def record(self, case_id: str, reviewer_id: str, outcome: Outcome, now: datetime) -> Recorded:
        voted = outcome is not Outcome.NO_SHOW
        guard = {**user_key(reviewer_id, f"OUTCOME#{case_id}"), "kind": "outcome", "case_id": case_id,
                 "outcome": outcome.value, "recorded_at": iso(now)}
        stats = {"TableName": self.table.name, "Key": self.table.marshal(user_key(reviewer_id)),
                 "UpdateExpression": "ADD invited :one, voted :v, no_shows :n, agreed :a"
                                     " SET recent = list_append(if_not_exists(recent, :empty), :o)",
                 "ConditionExpression": "attribute_exists(pk)",
                 "ExpressionAttributeValues": self.table.values(one=1, v=int(voted), n=int(not voted),
                                                                a=int(outcome is Outcome.AGREED), empty=[], o=[outcome.value])}
        ops = [{"Put": {"TableName": self.table.name, "Item": self.table.marshal(guard),
                        "ConditionExpression": "attribute_not_exists(pk)"}}, {"Update": stats}]
        codes = self._transact(ops)
        if not codes:
            return Recorded.RECORDED
        return Recorded.DUPLICATE if codes[0] == "ConditionalCheckFailed" else Recorded.UNKNOWN_REVIEWER

    # ------------------------------------------------------------------ transactions
    def _transact(self, ops: list[dict[str, Any]]) -> list[str]:
        """[] when the transaction commits, else the per-operation reasons a condition refused it for.

        Collisions with another transaction on the same item are retried, then raised as transient."""
        client = self.table.client
        for _ in range(CONFLICT_RETRIES):
            try:
                self.table.call("transact_write_items", TransactItems=ops)
                return []
            except client.exceptions.TransactionCanceledException as exc:
                codes = cancellation_codes(exc) or ["Unknown"]
                if "TransactionConflict" not in codes:
                    return codes
        raise TransientError("A seat transaction kept colliding with another one.")
        return False
