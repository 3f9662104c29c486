"""The `LifecycleStore` port: the seats of each round, the task token, escalation and the decision's effects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from quorum_common import pins
from quorum_common.dynamo import TransactionCancelled
from quorum_common.errors import NotFound
from quorum_report.adapters import items as it
from quorum_report.adapters.voting_store import DynamoVotingStore
from quorum_report.domain.case import Case, CaseStatus, Decision, Seat, SeatStatus, TimelineEntry
from quorum_report.domain.errors import CaseAlreadyDecided, CaseNotSettled, CaseSettled, CaseStateChanged
from quorum_report.service.ports import PanelChanged


class DynamoLifecycleStore(DynamoVotingStore):
    """What the voting state machine's steps write: seats, rounds, the token, the close and its effects."""

    def add_seats(self, case_id: str, round_: int, seats: Sequence[Seat], entry: TimelineEntry) -> None:
        operations = [self.table.put_op(it.seat_item(s), "attribute_not_exists(pk) OR #round = :round",
                                  {":round": round_}, {"#round": "round"}) for s in seats]
        not_reporters = {f":r{i}": s.reviewer_id for i, s in enumerate(seats)}  # a report may have landed since
        task_pins = pins.current()  # kept on the case: a recused seat's substitute is drawn by the same versions
        operations.append(self.table.update_op(
            it.case_key(case_id),
            "ADD invited :ids SET deadline = :deadline, updated_at = :at, timeline = list_append(timeline, :entry)"
            + (", pins = :pins" if task_pins else ""),
            {":ids": {s.reviewer_id for s in seats}, ":deadline": it.iso(seats[0].deadline), ":at": it.iso(entry.at),
             ":entry": [it.entry_value(entry)], ":voting": "voting", ":round": round_, **not_reporters,
             **({":pins": task_pins} if task_pins else {})},
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
            "gsi2pk = :pending, gsi2sk = :since, timeline = list_append(timeline, :entry) REMOVE task_token",
            {":decided": "decided", ":d": decision, ":at": it.iso(at), ":gsi": "CASES#decided",
             ":pending": it.EFFECTS_PENDING, ":since": f"{it.iso(at)}#{case_id}", ":entry": [it.entry_value(entry)]},
            {"#status": "status"}, "settled = :d AND #status <> :decided", "ALL_NEW")
        if row is not None:
            return it.case_from(row)
        case = self.get_case(case_id)
        if case and case.status == "decided":
            return case  # a retried step
        raise CaseNotSettled(f"Case {case_id} is not settled on {decision}.")

    def mark_announced(self, case_id: str, at: datetime) -> None:
        self.table.update(it.case_key(case_id), "SET announced_at = if_not_exists(announced_at, :at)",
                          values={":at": it.iso(at)})

    def complete_effects(self, case_id: str, at: datetime) -> None:
        entry = TimelineEntry(at=at, event="effects_completed")
        row = self._update(it.case_key(case_id), "SET effects_done_at = :at, timeline = list_append(timeline, :entry) "
                           "REMOVE gsi2pk, gsi2sk", {":at": it.iso(at), ":entry": [it.entry_value(entry)],
                                                     ":decided": "decided"},
                           {"#status": "status"}, "#status = :decided AND attribute_not_exists(effects_done_at)")
        if row is None:
            case = self.get_case(case_id)
            if case is None or not case.effects_done:  # done already: a retried step
                raise CaseStateChanged(f"Case {case_id} is not decided.")
