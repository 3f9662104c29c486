"""The lifecycle's closing steps: hand a case to ops, wait for them, and decide it.

Like `lifecycle.py`'s steps, each is safe to retry: a repeated escalation alerts again with the
same reason, a repeated decision returns the same decision and time.
"""

from __future__ import annotations

from datetime import datetime

from quorum_common.vocabulary import Decision
from quorum_report.domain.case import Case, Seat
from quorum_report.domain.errors import CaseNotSettled
from quorum_report.domain.events import CaseDecided, CaseEscalated
from quorum_report.service.panels import case_or_404
from quorum_report.service.ports import Clock, LifecycleStore, Notifier, ReviewerDirectory
from quorum_report.service.steps import CastVoteRecord, Decided, Escalated, EscalationState, Waiting


def escalate(state: EscalationState, *, store: LifecycleStore, notifier: Notifier, reviewers: ReviewerDirectory,
             clock: Clock) -> Escalated:
    """Hand the case to ops: status escalated, open seats cancelled, one alert."""
    case_id, reason = state.case_id, state.reason
    now = clock()
    case = store.escalate(case_id, reason, now)
    for reviewer_id in store.end_seats(case_id, "cancelled", now):
        reviewers.release_seat(case_id, reviewer_id, "expired")
    notifier.case_escalated(CaseEscalated(
        case_id=case_id, module=case.module, target_id=case.target.id, reason=reason, escalated_at=now,
        votes_for_violation=case.tally.violation, votes_for_no_violation=case.tally.no_violation))
    return Escalated(case_id=case_id, module=case.module, escalation=reason)


def await_resolution(case_id: str, token: str, *, store: LifecycleStore) -> Waiting:
    """Park the ops callback token; raises `CaseSettled` if ops already resolved the case."""
    store.store_token(case_id, token, status="escalated", round_=None)
    return Waiting(case_id=case_id, waiting="resolution")


def decide(case_id: str, *, store: LifecycleStore, notifier: Notifier, reviewers: ReviewerDirectory,
           clock: Clock) -> Decided:
    """Close the case with its settled decision, release open seats, tell the modules."""
    case = case_or_404(store, case_id)
    decision = case.decision if case.status == "decided" else case.settled
    if decision is None:
        raise CaseNotSettled(f"Case {case_id} has no decision to apply.")
    now = clock()
    case = store.close_case(case_id, decision, now)
    for reviewer_id in store.end_seats(case_id, "cancelled", now):
        reviewers.release_seat(case_id, reviewer_id, "expired")
    notifier.case_decided(decided_event(case))
    return decision_state(case, store.list_seats(case_id))


def decided_event(case: Case) -> CaseDecided:
    """The `CaseDecided` message of a closed case."""
    return CaseDecided(case_id=case.case_id, module=case.module, target_id=case.target.id,
                       decision=_decision(case), decided_at=_decided_at(case),
                       votes_for_violation=case.tally.violation, votes_for_no_violation=case.tally.no_violation)


def decision_state(case: Case, seats: list[Seat]) -> Decided:
    """What the reward and reviewer steps need: the votes, and who was invited and the no-shows.

    `invited` lists the seats that ran their course (voted or expired): a seat the decision cut
    short (`cancelled`) was no chance missed, so it must not count as a no-show.
    """
    ran = [s for s in seats if s.status in {"voted", "expired"}]
    return Decided(case_id=case.case_id, module=case.module, target_id=case.target.id, decision=_decision(case),
                   decided_at=_decided_at(case).isoformat(),
                   votes=[CastVoteRecord(reviewer_id=s.reviewer_id, verdict=s.verdict)
                          for s in ran if s.status == "voted" and s.verdict],
                   invited=sorted(s.reviewer_id for s in ran),
                   no_shows=sorted(s.reviewer_id for s in ran if s.status == "expired"),
                   cancelled=sorted(s.reviewer_id for s in seats if s.status == "cancelled"))


def _decision(case: Case) -> Decision:
    if case.decision is None:
        raise CaseNotSettled(f"Case {case.case_id} is not decided.")
    return case.decision


def _decided_at(case: Case) -> datetime:
    if case.decided_at is None:
        raise CaseNotSettled(f"Case {case.case_id} has no decision time.")
    return case.decided_at
