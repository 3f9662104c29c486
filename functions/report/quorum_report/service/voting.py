"""Casting a vote: one conditional write and an atomic tally; the deciding vote settles the case."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from quorum_common.errors import Conflict, NotFound, PermissionDenied, TransientError
from quorum_report.domain.case import Case, Seat, Verdict
from quorum_report.service.ports import CaseNotOpen, Clock, NotSettled, ReviewerDirectory, SeatRejected, VotingStore, Workflow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CastVote:
    """A reviewer's verdict on a case."""

    case_id: str
    reviewer_id: str
    verdict: Verdict
    comment: str | None = None


@dataclass(frozen=True)
class VoteRecorded:
    """The 201 answer; `settled_case` says this vote reached `votes_to_win`."""

    case_id: str
    reviewer_id: str
    round: int
    verdict: Verdict
    comment: str | None
    voted_at: datetime
    settled_case: bool


def _not_invited() -> PermissionDenied:
    return PermissionDenied("You are not on this case's current panel, or your seat expired.", code="not_invited")


def _recused() -> PermissionDenied:
    return PermissionDenied("You reported this case, so you no longer sit on its panel.", code="seat_recused")


def _already_voted() -> Conflict:
    return Conflict("You already voted on this case.", code="already_voted")


def _case_closed() -> Conflict:
    return Conflict("This case no longer takes votes.", code="case_closed")


def check_seat(case: Case, seat: Seat | None, now: datetime) -> Seat:
    """The seat if it may vote now; else the error the reviewer sees (who first, then what)."""
    if seat is None:
        raise _not_invited()
    if seat.status == "recused":
        raise _recused()
    if seat.status == "voted":
        raise _already_voted()
    if not case.is_open:
        raise _case_closed()
    if not seat.accepts_vote(case.round, now):
        raise _not_invited()
    return seat


def cast_vote(cmd: CastVote, *, store: VotingStore, workflow: Workflow, reviewers: ReviewerDirectory,
              clock: Clock) -> VoteRecorded:
    """Record the vote; if it reaches `votes_to_win`, settle the case and complete the callback."""
    case = store.get_case(cmd.case_id)
    if case is None:
        raise NotFound("No such case.", code="case_not_found")
    now = clock()
    seat = check_seat(case, store.get_seat(cmd.case_id, cmd.reviewer_id), now)
    _write_vote(cmd, seat, now, store)
    reviewers.release_seat(cmd.case_id, cmd.reviewer_id, "voted")
    settled = _settle_if_won(case, cmd.verdict, now, store, workflow)
    return VoteRecorded(cmd.case_id, cmd.reviewer_id, seat.round, cmd.verdict, cmd.comment, now, settled)


def _write_vote(cmd: CastVote, seat: Seat, now: datetime, store: VotingStore) -> None:
    try:
        store.cast_vote(seat, cmd.verdict, cmd.comment, now)
    except CaseNotOpen:
        raise _case_closed() from None
    except SeatRejected:
        current = store.get_seat(cmd.case_id, cmd.reviewer_id)
        status = current.status if current else None
        raise (_already_voted() if status == "voted" else _recused() if status == "recused" else _not_invited()) from None


def _settle_if_won(case: Case, verdict: Verdict, now: datetime, store: VotingStore, workflow: Workflow) -> bool:
    try:
        token = store.settle(case.case_id, verdict, by="votes", at=now, when_votes_reach=case.policy.votes_to_win)
    except NotSettled:
        return False
    except TransientError:  # the vote is stored; the round's close applies the final rule to it
        log.warning("could not settle after the deciding vote; the round's close will decide",
                    extra={"case_id": case.case_id}, exc_info=True)
        return False
    # Without a token the state machine has not parked yet: its await step sees `settled` and decides.
    if token and not workflow.complete(token, {"decision": verdict, "settled_by": "votes"}):
        log.warning("callback token no longer valid; the round's close will decide", extra={"case_id": case.case_id})
    return True
