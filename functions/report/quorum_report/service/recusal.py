"""A recused seat's substitute: its reviewer reported the case, so one reviewer is drawn for the rest of
its round (the report API asks for it asynchronously, after the report that recused the seat).

Safe to repeat: a seat that is not recused, or a round that moved on or was settled, draws nobody
(the round's close substitutes the seats still missing, as it does for no-shows).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from quorum_common.worker import Result, Task
from quorum_report.domain.case import Case, Seat, TimelineEntry
from quorum_report.domain.errors import CaseStateChanged
from quorum_report.domain.events import ReviewerInvited
from quorum_report.service.panels import case_or_404, draw_state, eligible
from quorum_report.service.ports import Clock, LifecycleStore, Notifier, PanelChanged, ReviewerDirectory
from quorum_report.service.steps import Round, TaskId

MIN_WINDOW = timedelta(seconds=1)  # a substitute with less time than this could never vote


class SubstituteSeatTask(Task):
    action: Literal["substitute_seat"]
    case_id: TaskId
    round: Round
    reviewer_id: TaskId


class SeatSubstituted(Result):
    case_id: str
    reviewer_ids: list[str]


def substitute_seat(task: SubstituteSeatTask, *, store: LifecycleStore, reviewers: ReviewerDirectory,
                    notifier: Notifier, clock: Clock) -> SeatSubstituted:
    """Free the recused reviewer's fatigue slot, then seat and invite one substitute until the round's deadline."""
    reviewers.release_seat(task.case_id, task.reviewer_id, "expired")
    case, now = case_or_404(store, task.case_id), clock()
    recused = store.get_seat(task.case_id, task.reviewer_id)
    if recused is None or not _may_substitute(case, recused, task.round) or recused.deadline - now < MIN_WINDOW:
        return SeatSubstituted(case_id=task.case_id, reviewer_ids=[])
    done = _substitute_of(case, task.reviewer_id)
    if done:  # a retried request: invite the substitute again, draw nobody new
        _invite(case, done, recused.deadline, notifier)
        return SeatSubstituted(case_id=task.case_id, reviewer_ids=[done])
    draw = draw_state(case, task.round, now, "draw").model_copy(
        update={"seats_needed": 1, "deadline": recused.deadline.isoformat()})
    drawn = eligible(case, reviewers.draw(draw))[:1]
    if not drawn:
        return SeatSubstituted(case_id=task.case_id, reviewer_ids=[])
    seat = Seat(case_id=case.case_id, reviewer_id=drawn[0], round=task.round, deadline=recused.deadline, invited_at=now)
    entry = TimelineEntry(at=now, event="seat_substituted",
                          detail={"round": task.round, "recused": task.reviewer_id, "substitute": drawn[0]})
    try:
        store.add_seats(case.case_id, task.round, [seat], entry)
    except (CaseStateChanged, PanelChanged):  # settled, moved on, or the substitute reported the case meanwhile
        return SeatSubstituted(case_id=task.case_id, reviewer_ids=[])
    _invite(case, drawn[0], recused.deadline, notifier)
    return SeatSubstituted(case_id=task.case_id, reviewer_ids=drawn)


def _may_substitute(case: Case, recused: Seat, round_: int) -> bool:
    return recused.status == "recused" and recused.round == round_ and case.is_open and case.round == round_


def _substitute_of(case: Case, recused_id: str) -> str | None:
    """Who already took the recused seat (the case's timeline says so: no read)."""
    return next((str(e.detail["substitute"]) for e in case.timeline
                 if e.event == "seat_substituted" and e.detail.get("recused") == recused_id), None)


def _invite(case: Case, reviewer_id: str, deadline: datetime, notifier: Notifier) -> None:
    notifier.invite([ReviewerInvited(reviewer_id=reviewer_id, case_id=case.case_id, module=case.module,
                                     deadline=deadline)])
