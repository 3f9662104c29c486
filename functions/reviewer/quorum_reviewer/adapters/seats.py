"""Invitations, fatigue slots, round reservations and outcome guards in DynamoDB, each change one request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from quorum_common.dynamo import ConditionFailed, Item, Table, TransactionCancelled
from quorum_reviewer.adapters.keys import PROFILE_SK, inbox_pk, invitation_key, iso, outcome_sk, round_key, user_key
from quorum_reviewer.domain.invitation import Brief, Invitation, SeatState
from quorum_reviewer.domain.model import Outcome, Status
from quorum_reviewer.domain.quality import stats_delta
from quorum_reviewer.service.ports import Recorded, Reservation, RoundRecord

NO_DEADLINE = "9999"
ABSENT = "attribute_not_exists(pk)"
PRESENT = "attribute_exists(pk)"
CLAIMABLE = f"{ABSENT} OR (#state = :drawing AND lease_until < :now)"  # new, or its draw died


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


def stats_update(outcome: Outcome) -> tuple[str, dict[str, Any]]:
    """The counters move by the domain's `stats_delta`, and the outcome joins the rolling window."""
    delta = stats_delta(outcome).model_dump()
    adds = ", ".join(f"{name} :{name}" for name in delta)
    values = {**{f":{name}": n for name, n in delta.items()}, ":empty": [], ":o": [outcome.value]}
    return f"ADD {adds} SET recent = list_append(if_not_exists(recent, :empty), :o)", values


def _round_from(item: Item) -> RoundRecord:
    drawn = item.get("state") == "drawn"
    return RoundRecord(reviewer_ids=list(item.get("reviewer_ids", [])) if drawn else None,
                       short_by=item.get("short_by", 0))


class DynamoSeatLedger:
    """`SeatLedger` and `OutcomeLedger` on the reviewer table."""

    def __init__(self, table: Table):
        self.table = table

    # ------------------------------------------------------------------ reads
    def invitations_for(self, case_id: str) -> list[Invitation]:
        items = self.table.query("pk = :pk AND begins_with(sk, :invite)", {":pk": f"CASE#{case_id}", ":invite": "INVITE#"})
        return [invitation_from_item(i) for i in items]

    def inbox(self, reviewer_id: str) -> list[Invitation]:
        return [invitation_from_item(i) for i in self.table.query("gsi1pk = :p", {":p": inbox_pk(reviewer_id)}, index="gsi1")]

    # ------------------------------------------------------------------ rounds
    def claim_round(self, case_id: str, round_: int, now: datetime, lease_until: datetime) -> RoundRecord | None:
        key = round_key(case_id, round_)
        item = {**key, "kind": "round", "case_id": case_id, "round": round_, "state": "drawing",
                "claimed_at": iso(now), "lease_until": iso(lease_until)}
        try:
            self.table.put(item, condition=CLAIMABLE, values={":drawing": "drawing", ":now": iso(now)},
                           names={"#state": "state"})
        except ConditionFailed as refused:
            return _round_from(refused.old or self.table.get(key) or {})
        return None

    def finish_round(self, case_id: str, round_: int, drawn: RoundRecord) -> None:
        self.table.update(round_key(case_id, round_), "SET #state = :drawn, reviewer_ids = :ids, short_by = :short",
                          values={":drawn": "drawn", ":ids": drawn.reviewer_ids, ":short": drawn.short_by},
                          names={"#state": "state"})

    # ------------------------------------------------------------------ seats
    def reserve(self, reservation: Reservation) -> bool:
        ops = [self._take_slot(reservation), self.table.put_op(invitation_item(reservation.invitation), ABSENT)]
        if reservation.candidate.entry != PROFILE_SK:
            ops.append(self.table.update_op(user_key(reservation.candidate.user_id, reservation.candidate.entry),
                                            "SET draw_key = :key", {":key": reservation.new_key}, condition=PRESENT))
        return self._committed(ops)

    def _take_slot(self, r: Reservation) -> dict[str, Any]:
        """The fatigue slot: still active, tagged, under both caps; the daily counter is keyed by UTC day."""
        tags = {f":t{i}": tag for i, tag in enumerate(r.tags)}
        values: dict[str, Any] = {":active": Status.ACTIVE.value, ":max_open": r.caps.max_open_invitations,
                                  ":max_day": r.caps.max_assignments_per_day, ":one": 1, ":zero": 0, **tags}
        condition = (f"{PRESENT} AND #status = :active AND open_invitations < :max_open"
                     " AND (attribute_not_exists(daily.#today) OR daily.#today < :max_day)"
                     + "".join(f" AND contains(tags, {name})" for name in tags))
        expression = "ADD open_invitations :one SET daily.#today = if_not_exists(daily.#today, :zero) + :one"
        if r.candidate.entry == PROFILE_SK:  # hit through the reviewer item itself: re-randomise its key
            values[":key"] = r.new_key
            expression += ", draw_key = :key"
        return self.table.update_op(user_key(r.candidate.user_id), expression, values,
                                    {"#status": "status", "#today": r.today}, condition)

    def release(self, case_id: str, reviewer_id: str, state: SeatState, now: datetime) -> bool:
        close = self.table.update_op(
            invitation_key(case_id, reviewer_id), "SET #state = :ended, released_at = :now REMOVE gsi1pk, gsi1sk",
            {":ended": state.value, ":now": iso(now), ":open": SeatState.OPEN.value}, {"#state": "state"},
            "#state = :open")
        free = self.table.update_op(user_key(reviewer_id), "ADD open_invitations :minus", {":minus": -1}, condition=PRESENT)
        return self._committed([close, free])

    # ------------------------------------------------------------------ outcomes
    def record(self, case_id: str, reviewer_id: str, outcome: Outcome, now: datetime) -> Recorded:
        guard = {**user_key(reviewer_id, outcome_sk(case_id)), "kind": "outcome", "case_id": case_id,
                 "outcome": outcome.value, "recorded_at": iso(now)}
        expression, values = stats_update(outcome)
        try:
            self.table.transact([self.table.put_op(guard, ABSENT),
                                 self.table.update_op(user_key(reviewer_id), expression, values, condition=PRESENT)])
        except TransactionCancelled as refused:
            return Recorded.DUPLICATE if refused.failed(0) else Recorded.UNKNOWN_REVIEWER
        return Recorded.RECORDED

    def _committed(self, ops: Sequence[Mapping[str, Any]]) -> bool:
        """True when the transaction commits, False when a condition refused it (a lost race is retried)."""
        try:
            self.table.transact(ops)
        except TransactionCancelled:
            return False
        return True
