"""The `VotingStore` port: a vote and its tally in one transaction, and the settling of a won case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quorum_common.dynamo import TransactionCancelled
from quorum_report.adapters import items as it
from quorum_report.adapters.report_table import ReportTable
from quorum_report.domain.case import ONE_VOTE, CaseStatus, Decision, Resolution, Seat, SettledBy, Verdict
from quorum_report.service.ports import CaseNotOpen, NotSettled, SeatRejected


class DynamoVotingStore(ReportTable):
    """A seat's vote and the case's tally, then the one `settle` that decides who won."""

    def cast_vote(self, seat: Seat, verdict: Verdict, comment: str | None, at: datetime) -> None:
        seat_values = {":voted": "voted", ":invited": "invited", ":verdict": verdict, ":at": it.iso(at),
                       ":round": seat.round, ":now": int(at.timestamp() * 1000), ":comment": comment}
        seat_set = "SET #status = :voted, verdict = :verdict, voted_at = :at" + (", #comment = :comment" if comment else "")
        if not comment:
            del seat_values[":comment"]
        operations = [
            self.table.update_op(it.seat_key(seat.case_id, seat.reviewer_id), seat_set, seat_values,
                           {"#status": "status", "#round": "round", **({"#comment": "comment"} if comment else {})},
                           "#status = :invited AND #round = :round AND deadline_epoch_ms > :now"),
            self.table.update_op(it.case_key(seat.case_id), f"ADD {it.tally_attribute(verdict)} :one SET updated_at = :at",
                                 {":one": ONE_VOTE, ":at": it.iso(at), ":voting": "voting", ":round": seat.round},
                           {"#status": "status", "#round": "round"},
                           "#status = :voting AND attribute_not_exists(settled) AND #round = :round"),
        ]
        try:
            self.table.transact(operations)
        except TransactionCancelled as exc:
            if exc.failed(1):
                raise CaseNotOpen() from exc
            if exc.failed(0):
                raise SeatRejected() from exc
            raise

    def settle(self, case_id: str, decision: Decision, *, by: SettledBy, at: datetime,
               when_votes_reach: int | None = None, from_status: CaseStatus = "voting",
               resolution: Resolution | None = None) -> str | None:
        expression = "SET settled = :d, settled_by = :by, settled_at = :at"
        values: dict[str, Any] = {":d": decision, ":by": by, ":at": it.iso(at), ":from": from_status}
        condition = "attribute_exists(pk) AND attribute_not_exists(settled) AND #status = :from"
        if when_votes_reach is not None:
            condition += f" AND {it.tally_attribute(decision)} >= :win"
            values[":win"] = when_votes_reach
        if resolution is not None:
            expression += ", resolution = :res"
            values[":res"] = resolution.model_dump(mode="json", exclude_none=True)
        row = self._update(it.case_key(case_id), expression, values, {"#status": "status"}, condition, "ALL_NEW")
        if row is None:
            raise NotSettled()
        return row.get("task_token")
