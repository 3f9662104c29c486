"""The report table behind the intake, voting, lifecycle and query ports.

Every method is one request (or one transaction) guarded by a condition; a failed condition
becomes the port's exception (`TargetTaken`, `SeatRejected`, `NotSettled`, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from quorum_common.dynamo import ConditionFailed, Table, TransactionCancelled, decode_cursor, encode_cursor
from quorum_common.errors import InvalidInput, NotFound
from quorum_report.adapters import items as it
from quorum_report.domain.case import (
    ONE_VOTE,
    Case,
    CaseStatus,
    Decision,
    Report,
    Resolution,
    Seat,
    SeatStatus,
    SettledBy,
    TargetLock,
    TimelineEntry,
    Verdict,
)
from quorum_report.domain.errors import CaseAlreadyDecided, CaseNotSettled, CaseSettled, CaseStateChanged
from quorum_report.service.ports import (
    AlreadyReported,
    CaseNotOpen,
    NotSettled,
    Page,
    PanelChanged,
    Quota,
    QuotaExceeded,
    SeatChanged,
    SeatRejected,
    TargetTaken,
)

QUOTA_TTL = timedelta(days=2)


class DynamoReportStore:
    """Cases, seats, reports, target locks and quotas in the report table."""

    def __init__(self, table_name: str, client: Any = None):
        self.table = Table(table_name, client)

    def _update(self, key: dict[str, str], expression: str, values: dict[str, Any], names: dict[str, str],
                condition: str, returns: str = "NONE") -> dict[str, Any] | None:
        """An update guarded by `condition`; None when the condition did not hold."""
        try:
            return self.table.update(key, expression, values=values, names=names, condition=condition, returns=returns)
        except ConditionFailed:
            return None

    # ------------------------------------------------------------- reads
    def get_case(self, case_id: str) -> Case | None:
        row = self.table.get(it.case_key(case_id))
        return it.case_from(row) if row else None

    def get_seat(self, case_id: str, reviewer_id: str) -> Seat | None:
        row = self.table.get(it.seat_key(case_id, reviewer_id))
        return it.seat_from(row) if row else None

    def list_seats(self, case_id: str) -> list[Seat]:
        rows = self.table.query("pk = :pk AND begins_with(sk, :seat)", {":pk": f"CASE#{case_id}", ":seat": "SEAT#"})
        return [it.seat_from(row) for row in rows]

    def list_reports(self, case_id: str) -> list[Report]:
        """A case's reports, oldest first (gsi1: REPORTS#<case>, by creation time)."""
        return [it.report_from(row) for row in self.table.query("gsi1pk = :pk", {":pk": f"REPORTS#{case_id}"},
                                                                 index="gsi1")]

    def get_lock(self, module: str, target_id: str) -> TargetLock | None:
        row = self.table.get(it.lock_key(module, target_id))
        return it.lock_from(row) if row else None

    def get_report(self, report_id: str) -> Report | None:
        row = self.table.get(it.report_key(report_id))
        return it.report_from(row) if row else None

    def list_cases(self, status: CaseStatus, limit: int, cursor: str | None) -> Page:
        rows, last = self.table.query_page("gsi1pk = :pk", {":pk": f"CASES#{status}"}, limit=limit, index="gsi1",
                                           start=_start_key(cursor, f"CASES#{status}"),
                                           newest_first=status == "decided")  # oldest open work first
        return Page([it.case_from(row) for row in rows], encode_cursor(last) if last else None)

    # ------------------------------------------------------------- intake
    def _quota_op(self, quota: Quota, at: datetime) -> dict[str, Any]:
        return self.table.update_op(
            it.quota_key(quota.reporter_id, quota.day), "ADD #count :one SET expires_at = :exp",
            {":one": 1, ":cap": quota.cap, ":exp": int((at + QUOTA_TTL).timestamp())}, {"#count": "count"},
            "attribute_not_exists(#count) OR #count < :cap")

    def open_case(self, case: Case, report: Report, quota: Quota, replaces: str | None) -> None:
        lock_condition = "attribute_not_exists(pk)" + (" OR case_id = :old" if replaces else "")
        operations = [
            self.table.put_op(it.case_item(case), "attribute_not_exists(pk)"),
            self.table.put_op(it.report_item(report), "attribute_not_exists(pk)"),
            self.table.put_op(it.lock_item(case), lock_condition, {":old": replaces} if replaces else None),
            self._quota_op(quota, case.created_at),
            self.table.put_op(it.reporter_item(report)),
        ]
        self._intake(operations, {2: TargetTaken, 3: QuotaExceeded})

    def reported_by(self, case_id: str, submitted_by: str, reporter_id: str) -> str | None:
        row = self.table.get(it.reporter_key(case_id, submitted_by, reporter_id))
        return row["report_id"] if row else None

    def join_case(self, report: Report, quota: Quota, track_reporter: bool, recuse: Seat | None = None, *,
                  unseated: bool = False) -> None:
        adds = "report_count :one, reasons :reason" + (", reporters :reporter" if track_reporter else "")
        values: dict[str, Any] = {":one": 1, ":reason": {report.reason}, ":decided": "decided",
                                  ":at": it.iso(report.created_at)}
        condition = "attribute_exists(pk) AND #status <> :decided"
        if track_reporter:
            values[":reporter"] = {report.reporter_id}
        if unseated:  # the reporter held no seat when the case was read: one given since makes us read again
            values[":who"] = report.reporter_id
            condition += " AND NOT contains(invited, :who)"
        operations = [
            self.table.put_op(it.report_item(report), "attribute_not_exists(pk)"),
            self.table.update_op(it.case_key(report.case_id), f"ADD {adds} SET updated_at = :at", values,
                           {"#status": "status"}, condition),
            self._quota_op(quota, report.created_at),
            self.table.put_op(it.reporter_item(report), "attribute_not_exists(pk)"),
        ]
        if recuse is not None:
            operations.append(self._recuse_op(recuse, report.created_at))
        self._intake(operations, {1: CaseNotOpen, 2: QuotaExceeded, 3: AlreadyReported, 4: SeatChanged})

    def _recuse_op(self, seat: Seat, at: datetime) -> dict[str, Any]:
        """The reporter's open seat leaves the panel in the report's own transaction."""
        return self.table.update_op(it.seat_key(seat.case_id, seat.reviewer_id), "SET #status = :recused, ended_at = :at",
                                    {":recused": "recused", ":at": it.iso(at), ":invited": "invited"},
                                    {"#status": "status"}, "#status = :invited")

    def add_report(self, report: Report, quota: Quota) -> None:
        operations = [self.table.put_op(it.report_item(report), "attribute_not_exists(pk)"),
                      self._quota_op(quota, report.created_at)]
        self._intake(operations, {1: QuotaExceeded})

    def _intake(self, operations: list[dict[str, Any]], signals: dict[int, type[Exception]]) -> None:
        try:
            self.table.transact(operations)
        except TransactionCancelled as exc:
            for index in sorted(signals, reverse=True):  # the quota (last of the open) speaks first
                if exc.failed(index):
                    raise signals[index]() from exc
            raise

    # ------------------------------------------------------------- voting
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

    # ------------------------------------------------------------- lifecycle
    def add_seats(self, case_id: str, round_: int, seats: Sequence[Seat], entry: TimelineEntry) -> None:
        operations = [self.table.put_op(it.seat_item(s), "attribute_not_exists(pk) OR #round = :round",
                                  {":round": round_}, {"#round": "round"}) for s in seats]
        not_reporters = {f":r{i}": s.reviewer_id for i, s in enumerate(seats)}  # a report may have landed since
        operations.append(self.table.update_op(
            it.case_key(case_id),
            "ADD invited :ids SET deadline = :deadline, updated_at = :at, timeline = list_append(timeline, :entry)",
            {":ids": {s.reviewer_id for s in seats}, ":deadline": it.iso(seats[0].deadline), ":at": it.iso(entry.at),
             ":entry": [it.entry_value(entry)], ":voting": "voting", ":round": round_, **not_reporters},
            {"#status": "status", "#round": "round"},
            "#status = :voting AND attribute_not_exists(settled) AND #round = :round"
            + "".join(f" AND NOT contains(reporters, {name})" for name in not_reporters)))
        try:
            self.table.transact(operations)
        except TransactionCancelled as exc:
            case = self.get_case(case_id)
            if case and case.is_open and case.round == round_ and case.reporters & set(not_reporters.values()):
                raise PanelChanged() from exc
            raise CaseStateChanged(f"Case {case_id} left round {round_} or was settled.") from exc

    def store_token(self, case_id: str, token: str, *, status: CaseStatus, round_: int | None) -> None:
        values: dict[str, Any] = {":t": token, ":status": status}
        condition = "attribute_exists(pk) AND attribute_not_exists(settled) AND #status = :status"
        names = {"#status": "status"}
        if round_ is not None:
            condition += " AND #round = :round"
            values[":round"], names["#round"] = round_, "round"
        if self._update(it.case_key(case_id), "SET task_token = :t", values, names, condition) is None:
            self._explain_refusal(case_id)

    def _explain_refusal(self, case_id: str) -> None:
        case = self.get_case(case_id)
        if case and (case.settled or case.status == "decided"):
            raise CaseSettled(f"Case {case_id} is already settled.")
        raise CaseStateChanged(f"Case {case_id} is not in the expected state.")

    def end_seats(self, case_id: str, status: SeatStatus, at: datetime, round_: int | None = None) -> list[str]:
        ended = []
        for seat in self.list_seats(case_id):
            if seat.status != "invited" or (round_ is not None and seat.round != round_):
                continue
            if self._update(it.seat_key(case_id, seat.reviewer_id), "SET #status = :to, ended_at = :at",
                           {":to": status, ":at": it.iso(at), ":invited": "invited"}, {"#status": "status"},
                           "#status = :invited") is not None:
                ended.append(seat.reviewer_id)
        return ended

    def advance_round(self, case_id: str, closed_round: int, entry: TimelineEntry) -> None:
        row = self._update(
            it.case_key(case_id),
            "SET #round = :next, updated_at = :at, timeline = list_append(timeline, :entry) REMOVE task_token",
            {":next": closed_round + 1, ":closed": closed_round, ":at": it.iso(entry.at),
             ":entry": [it.entry_value(entry)], ":voting": "voting"},
            {"#round": "round", "#status": "status"},
            "#status = :voting AND attribute_not_exists(settled) AND #round = :closed")
        if row is None:
            case = self.get_case(case_id)
            if case and case.settled:
                raise CaseSettled(f"Case {case_id} is already settled.")
            if not case or case.round != closed_round + 1:
                raise CaseStateChanged(f"Case {case_id} cannot leave round {closed_round}.")

    def escalate(self, case_id: str, reason: str, at: datetime) -> Case:
        entry = TimelineEntry(at=at, event="escalated", detail={"reason": reason})
        row = self._update(
            it.case_key(case_id),
            "SET #status = :escalated, gsi1pk = :gsi, escalation_reason = :reason, updated_at = :at, "
            "timeline = list_append(timeline, :entry) REMOVE settled, settled_by, task_token",
            {":escalated": "escalated", ":gsi": "CASES#escalated", ":reason": reason, ":at": it.iso(at),
             ":entry": [it.entry_value(entry)], ":voting": "voting"},
            {"#status": "status"}, "#status = :voting", "ALL_NEW")
        if row is not None:
            return it.case_from(row)
        case = self.get_case(case_id)
        if case is None:
            raise NotFound(f"No case {case_id}.", code="case_not_found")
        if case.status == "decided":
            raise CaseAlreadyDecided(f"Case {case_id} is already decided.")
        return case  # already escalated: a retried step

    def close_case(self, case_id: str, decision: Decision, at: datetime) -> Case:
        entry = TimelineEntry(at=at, event="decided", detail={"decision": decision})
        row = self._update(
            it.case_key(case_id),
            "SET #status = :decided, decision = :d, decided_at = :at, gsi1pk = :gsi, updated_at = :at, "
            "timeline = list_append(timeline, :entry) REMOVE task_token",
            {":decided": "decided", ":d": decision, ":at": it.iso(at), ":gsi": "CASES#decided",
             ":entry": [it.entry_value(entry)]},
            {"#status": "status"}, "settled = :d AND #status <> :decided", "ALL_NEW")
        if row is not None:
            return it.case_from(row)
        case = self.get_case(case_id)
        if case and case.status == "decided":
            return case  # a retried step
        raise CaseNotSettled(f"Case {case_id} is not settled on {decision}.")

    # ------------------------------------------------------------- sweeper
    def note_restart(self, case_id: str, restarts: int, execution: str, entry: TimelineEntry) -> bool:
        """Record the new driving execution; False when another sweep got there first."""
        row = self._update(
            it.case_key(case_id),
            "SET #execution = :name, #restarts = :next, timeline = list_append(timeline, :entry)",
            {":name": execution, ":next": restarts + 1, ":seen": restarts, ":entry": [it.entry_value(entry)]},
            {"#execution": "execution", "#restarts": "restarts"},
            "attribute_not_exists(#restarts) OR #restarts = :seen")
        return row is not None


def _start_key(cursor: str | None, gsi1pk: str) -> dict[str, Any] | None:
    """The start key a cursor names; one that is garbled or belongs to another status is refused."""
    if cursor is None:
        return None
    key = decode_cursor(cursor)
    if not isinstance(key, dict) or set(key) != {"pk", "sk", "gsi1pk", "gsi1sk"} or key["gsi1pk"] != gsi1pk:
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor")
    return key
