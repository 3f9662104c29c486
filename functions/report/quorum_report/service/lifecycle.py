"""The voting lifecycle's round steps, one per state-machine task (infra/statemachines/voting.asl.json);
the closing steps (escalate, await_resolution, decide) are in `closing.py`.

Each step takes the case id (and the round it acts on), reads the case, makes one guarded
change and returns the state the next step needs. Each is safe to retry: the store's
conditions turn a repeated step into a no-op or a clear signal.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from quorum_common.vocabulary import Decision
from quorum_report.domain.case import Case, Seat, SettledBy, TimelineEntry
from quorum_report.domain.errors import CaseSettled, CaseStateChanged
from quorum_report.domain.events import ReviewerInvited
from quorum_report.domain.rules import RoundPlan, plan_after_round, plan_for_empty_draw
from quorum_report.service.panels import case_or_404, draw_state, eligible
from quorum_report.service.ports import Clock, LifecycleStore, Notifier, NotSettled, PanelChanged, ReviewerDirectory
from quorum_report.service.steps import (
    AwaitResolution,
    AwaitVotes,
    ClosedRound,
    Decide,
    DrawRound,
    Escalate,
    LoadedCase,
    OpenedRound,
    Waiting,
)


def load_case(case_id: str, *, store: LifecycleStore, clock: Clock) -> LoadedCase:
    """The first step: where the case stands, so a new or a restarted execution picks it up there.

    `next` is `draw` (a round needs seats), `await` (a round is open: wait out what is left of
    it), `decide` (settled, or decided but its effects may be missing) or `await_resolution`.
    """
    case = case_or_404(store, case_id)
    now = clock()
    if case.status == "decided" or case.settled:
        return Decide(case_id=case_id, module=case.module)
    if case.status == "escalated":
        return AwaitResolution(case_id=case_id, module=case.module)
    open_seats = [s for s in store.list_seats(case_id) if s.status == "invited" and s.round == case.round]
    if open_seats:
        left = min(s.deadline for s in open_seats) - now
        return AwaitVotes(case_id=case_id, module=case.module, round=case.round,
                          window_seconds=max(1, math.ceil(left.total_seconds())))
    return draw_state(case, case.round, now, "draw")


def open_round(case_id: str, round_: int, reviewer_ids: list[str], *, store: LifecycleStore,
               notifier: Notifier, clock: Clock, deadline: datetime | None = None) -> OpenedRound:
    """Seat the drawn reviewers, invite them, and start the window (or plan around an empty draw)."""
    case = case_or_404(store, case_id)
    now = clock()
    if case.settled or case.status == "decided":  # a retried step: its seats voted before the retry
        return Decide(case_id=case_id, module=case.module)
    seats = [s for s in store.list_seats(case_id) if s.round == round_] if _round_opened(case, round_) else []
    if seats:  # a retried step: this round's seats are stored already
        return _reopened(case, seats, notifier, now)
    drawn = eligible(case, reviewer_ids)
    if not drawn:
        return _opened(_follow(plan_for_empty_draw(case.policy, case.tally, round_), case, round_, store, now))
    deadline = max(deadline or now + timedelta(seconds=case.policy.vote_window_seconds),
                   now + timedelta(seconds=1))  # a slow draw never leaves a window already closed
    seats = [Seat(case_id=case_id, reviewer_id=r, round=round_, deadline=deadline, invited_at=now) for r in drawn]
    entry = TimelineEntry(at=now, event="round_opened", detail={"round": round_, "seats": len(seats)})
    try:
        store.add_seats(case_id, round_, seats, entry)
    except PanelChanged:  # a drawn reviewer reported the case since it was read: seat the others
        return open_round(case_id, round_, reviewer_ids, store=store, notifier=notifier, clock=clock, deadline=deadline)
    notifier.invite([ReviewerInvited(reviewer_id=r, case_id=case_id, module=case.module, deadline=deadline)
                     for r in drawn])
    return AwaitVotes(case_id=case_id, module=case.module, round=round_,
                      window_seconds=max(1, math.ceil((deadline - now).total_seconds())), invited=len(drawn))


def _round_opened(case: Case, round_: int) -> bool:
    """Whether `round_` is the case's open round and its seats were added (the case row says so: no read)."""
    return case.is_open and case.round == round_ and any(
        e.event == "round_opened" and e.detail.get("round") == round_ for e in case.timeline)


def _reopened(case: Case, seats: list[Seat], notifier: Notifier, now: datetime) -> AwaitVotes:
    """The round's seats stand: invite again whoever still holds one (the first try may have stopped
    before it published), and wait out what is left of the round's one deadline."""
    waiting = [s for s in seats if s.status == "invited"]
    notifier.invite([ReviewerInvited(reviewer_id=s.reviewer_id, case_id=case.case_id, module=case.module,
                                     deadline=s.deadline) for s in waiting])
    left = min(s.deadline for s in seats) - now
    return AwaitVotes(case_id=case.case_id, module=case.module, round=case.round,
                      window_seconds=max(1, math.ceil(left.total_seconds())), invited=len(waiting))


def _opened(plan: ClosedRound) -> OpenedRound:
    """An empty draw never substitutes (the pool is exhausted): it decides or escalates."""
    if isinstance(plan, DrawRound):
        raise CaseStateChanged(f"Case {plan.case_id} planned a substitute round after an empty draw.")
    return plan


def await_votes(case_id: str, round_: int, token: str, *, store: LifecycleStore) -> Waiting:
    """Park the round's callback token on the case; raises `CaseSettled` if a vote already won."""
    store.store_token(case_id, token, status="voting", round_=round_)
    return Waiting(case_id=case_id, waiting="votes")


def close_round(case_id: str, round_: int, *, store: LifecycleStore, reviewers: ReviewerDirectory,
                clock: Clock) -> ClosedRound:
    """The window ended: expire the no-shows, then substitute, decide or escalate."""
    now = clock()
    for reviewer_id in store.end_seats(case_id, "expired", now, round_=round_):
        reviewers.release_seat(case_id, reviewer_id, "expired")
    case = case_or_404(store, case_id)
    if case.settled:
        return Decide(case_id=case_id, module=case.module)
    if case.status != "voting":
        raise CaseStateChanged(f"Case {case_id} is {case.status}.")
    if case.round > round_:  # a retried step: the next round is already planned
        return draw_state(case, case.round, now, "substitute")
    return _follow(plan_after_round(case.policy, case.tally, round_), case, round_, store, now)


def _follow(plan: RoundPlan, case: Case, round_: int, store: LifecycleStore, now: datetime) -> ClosedRound:
    """Carry out a round plan: advance to a substitute round, settle a decision, or say escalate."""
    if plan.next == "substitute":
        return _substitute(case, round_, plan, store, now)
    if plan.next == "decide" and plan.decision is not None:
        return _settle(case, plan.decision, plan.reason, store, now)
    return Escalate(case_id=case.case_id, escalation=plan.reason or "no_majority")


def _substitute(case: Case, round_: int, plan: RoundPlan, store: LifecycleStore, now: datetime) -> DrawRound | Decide:
    entry = TimelineEntry(at=now, event="round_closed",
                          detail={"round": round_, "next": "substitute", "seats_needed": plan.seats_needed})
    try:
        store.advance_round(case.case_id, round_, entry)
    except CaseSettled:
        return Decide(case_id=case.case_id, module=case.module)
    return draw_state(case_or_404(store, case.case_id), round_ + 1, now, "substitute")


def _settle(case: Case, decision: Decision, reason: str | None, store: LifecycleStore, now: datetime) -> Decide:
    by: SettledBy = "votes" if reason == "votes_to_win" else "final_rule"
    try:
        store.settle(case.case_id, decision, by=by, at=now)
    except NotSettled:
        if not case_or_404(store, case.case_id).settled:
            raise CaseStateChanged(f"Case {case.case_id} could not be settled.") from None
    return Decide(case_id=case.case_id, module=case.module)
