"""In-memory doubles of the reviewer ports, with the DynamoDB adapters' semantics.

One `FakeReviewerStore` plays every port, as the one reviewer table does: saves are checked on
`rev` and keep counters, pool entries follow status and tags, a reservation applies the same
conditions as the adapter's transaction, and each index page counts the items it returns.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from quorum_reviewer.domain.draw import ACTIVE_POOL, Candidate, tag_pool
from quorum_reviewer.domain.errors import ConcurrentUpdate
from quorum_reviewer.domain.fatigue import stale_days
from quorum_reviewer.domain.invitation import Invitation, SeatState
from quorum_reviewer.domain.model import Fatigue, Outcome, Profile, Reviewer, Stats, Status
from quorum_reviewer.domain.quality import stats_delta
from quorum_reviewer.domain.rules import ReviewerRules
from quorum_reviewer.service.ports import Page, Recorded, Reservation, ReviewerPorts, RoundRecord

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
MAIN = "PROFILE"
TAG_ENTRY = "POOL#tag:"


def profile(tags: Sequence[str] = (), active_days_ago: float = 1, age_days: float = 365, credit: int = 700,
            region: str | None = None) -> Profile:
    """A profile that meets the default enrollment rule unless told otherwise."""
    return Profile(tags=tuple(tags), last_active_at=NOW - timedelta(days=active_days_ago),
                   registered_at=NOW - timedelta(days=age_days), credit_score=credit, region=region)


@dataclass
class FakeReviewerStore:
    """Every reviewer port, in memory."""

    rng: random.Random = field(default_factory=lambda: random.Random(7))
    rules_doc: ReviewerRules = field(default_factory=ReviewerRules)
    reviewers: dict[str, Reviewer] = field(default_factory=dict)
    keys: dict[tuple[str, str], tuple[str, float]] = field(default_factory=dict)
    invitations: dict[tuple[str, str], Invitation] = field(default_factory=dict)
    outcome_guards: set[tuple[str, str]] = field(default_factory=set)
    rounds: dict[tuple[str, int], tuple[RoundRecord, datetime]] = field(default_factory=dict)
    saves: int = 0
    items_read: int = 0
    pages_read: int = 0

    # ------------------------------------------------------------------ arrange helpers
    def add(self, user_id: str, status: Status | None = Status.ACTIVE, **kwargs: Any) -> Reviewer:
        """A reviewer stored as if enrolled (or in `status`), with a fresh random pool key."""
        prof = kwargs.pop("profile", None) or profile(**kwargs)
        reviewer = Reviewer(user_id=user_id, profile=prof)
        self.save(reviewer, None)
        if status is not None:
            self.save(self.reviewers[user_id].with_status(status, "test", "test", NOW), self.reviewers[user_id])
        return self.reviewers[user_id]

    def set_counters(self, user_id: str, **changes: Any) -> None:
        self.reviewers[user_id] = self.reviewers[user_id].model_copy(update=changes)

    # ------------------------------------------------------------------ ReviewerRepository
    def get(self, user_id: str) -> Reviewer | None:
        return self.reviewers.get(user_id)

    def get_many(self, user_ids: Sequence[str]) -> dict[str, Reviewer]:
        return {uid: self.reviewers[uid] for uid in user_ids if uid in self.reviewers}

    def save(self, reviewer: Reviewer, previous: Reviewer | None) -> None:
        current = self.reviewers.get(reviewer.user_id)
        if (previous is None) != (current is None) or (current and previous and current.rev != previous.rev):
            raise ConcurrentUpdate("stale")
        kept = current or reviewer
        reset = previous is not None and bool(previous.recent) and not reviewer.recent
        self.reviewers[reviewer.user_id] = reviewer.model_copy(update={
            "rev": reviewer.rev + 1, "stats": kept.stats, "fatigue": kept.fatigue,
            "recent": () if reset else kept.recent})
        self._sync_entries(reviewer, previous)
        self.saves += 1

    def _sync_entries(self, reviewer: Reviewer, previous: Reviewer | None) -> None:
        """Like the adapter: a pool entry per tag plus the reviewer item itself while active, none otherwise."""
        uid = reviewer.user_id
        active = reviewer.status is Status.ACTIVE
        wanted = ({MAIN} | {f"{TAG_ENTRY}{t}" for t in reviewer.profile.tags}) if active else set()
        for stale in [k for k in self.keys if k[0] == uid and k[1] not in wanted]:
            del self.keys[stale]
        for sk in sorted(wanted - {k[1] for k in self.keys if k[0] == uid}):
            pool = ACTIVE_POOL if sk == MAIN else tag_pool(sk[len(TAG_ENTRY):])
            self.keys[(uid, sk)] = (pool, self.rng.random())

    def walk(self, cursor: str | None, limit: int) -> Page[Reviewer]:
        ids = sorted(self.reviewers)
        start = int(cursor or 0)
        end = start + limit
        return Page([self.reviewers[i] for i in ids[start:end]], str(end) if end < len(ids) else None)

    def tidy(self, reviewer: Reviewer, window: int, today: str) -> None:
        current = self.reviewers[reviewer.user_id]
        drop = max(0, len(reviewer.recent) - window)
        daily = {d: n for d, n in current.fatigue.daily.items() if d not in stale_days(current.fatigue.daily, today)}
        self.reviewers[reviewer.user_id] = current.model_copy(update={
            "recent": current.recent[drop:], "fatigue": current.fatigue.model_copy(update={"daily": daily})})

    # ------------------------------------------------------------------ RulesStore
    # (`get` would collide with the repository's, so the rules port is a small view)
    @property
    def rules_view(self) -> FakeRules:
        return FakeRules(self)

    # ------------------------------------------------------------------ DrawIndex
    def page(self, pool: str, lower: float, upper: float | None, limit: int, cursor: Any,
             today: str) -> Page[Candidate]:
        entries = sorted((key, uid, sk) for (uid, sk), (p, key) in self.keys.items()
                         if p == pool and key >= lower and (upper is None or key < upper))
        if cursor is not None:
            entries = [e for e in entries if e > cursor]
        chosen = entries[:limit]
        self.items_read += len(chosen)
        self.pages_read += 1
        more = len(entries) > limit
        return Page([self._candidate(uid, sk, key, today) for key, uid, sk in chosen], chosen[-1] if more else None)

    def _candidate(self, uid: str, sk: str, key: float, today: str) -> Candidate:
        r = self.reviewers[uid]
        main = sk == MAIN
        return Candidate(user_id=uid, entry=sk, draw_key=key, tags=frozenset(r.profile.tags),
                         region=r.profile.region, open_invitations=r.fatigue.open_invitations if main else None,
                         assigned_today=r.fatigue.assigned_on(today) if main else None)

    # ------------------------------------------------------------------ SeatLedger
    def claim_round(self, case_id: str, round_: int, now: datetime, lease_until: datetime) -> RoundRecord | None:
        found = self.rounds.get((case_id, round_))
        if found is not None and (found[0].reviewer_ids is not None or found[1] >= now):
            return found[0]
        self.rounds[(case_id, round_)] = (RoundRecord(None), lease_until)
        return None

    def finish_round(self, case_id: str, round_: int, drawn: RoundRecord) -> None:
        self.rounds[(case_id, round_)] = (drawn, self.rounds[(case_id, round_)][1])

    def invitations_for(self, case_id: str) -> list[Invitation]:
        return [i for (c, _), i in sorted(self.invitations.items()) if c == case_id]

    def reserve(self, reservation: Reservation) -> bool:
        c, inv = reservation.candidate, reservation.invitation
        r = self.reviewers.get(c.user_id)
        if r is None or r.status is not Status.ACTIVE or (inv.case_id, c.user_id) in self.invitations:
            return False
        if (c.user_id, c.entry) not in self.keys or not set(reservation.tags) <= set(r.profile.tags):
            return False
        f, caps, today = r.fatigue, reservation.caps, reservation.today
        if f.open_invitations >= caps.max_open_invitations or f.assigned_on(today) >= caps.max_assignments_per_day:
            return False
        daily = {**f.daily, today: f.assigned_on(today) + 1}
        self.reviewers[c.user_id] = r.model_copy(update={"fatigue": Fatigue(open_invitations=f.open_invitations + 1, daily=daily)})
        self.invitations[(inv.case_id, c.user_id)] = inv
        pool, _ = self.keys[(c.user_id, c.entry)]
        self.keys[(c.user_id, c.entry)] = (pool, reservation.new_key)
        return True

    def release(self, case_id: str, reviewer_id: str, state: SeatState, now: datetime) -> bool:
        inv = self.invitations.get((case_id, reviewer_id))
        if inv is None or inv.state is not SeatState.OPEN or reviewer_id not in self.reviewers:
            return False
        self.invitations[(case_id, reviewer_id)] = inv.model_copy(update={"state": state})
        r = self.reviewers[reviewer_id]
        fatigue = r.fatigue.model_copy(update={"open_invitations": r.fatigue.open_invitations - 1})
        self.reviewers[reviewer_id] = r.model_copy(update={"fatigue": fatigue})
        return True

    def inbox(self, reviewer_id: str) -> list[Invitation]:
        return [i for (_, rid), i in self.invitations.items() if rid == reviewer_id and i.state is SeatState.OPEN]

    # ------------------------------------------------------------------ OutcomeLedger
    def record(self, case_id: str, reviewer_id: str, outcome: Outcome, now: datetime) -> Recorded:
        if (reviewer_id, case_id) in self.outcome_guards:
            return Recorded.DUPLICATE
        r = self.reviewers.get(reviewer_id)
        if r is None:
            return Recorded.UNKNOWN_REVIEWER
        self.outcome_guards.add((reviewer_id, case_id))
        d = stats_delta(outcome)
        stats = Stats(invited=r.stats.invited + d.invited, voted=r.stats.voted + d.voted,
                      no_shows=r.stats.no_shows + d.no_shows, agreed=r.stats.agreed + d.agreed)
        self.reviewers[reviewer_id] = r.model_copy(update={"stats": stats, "recent": (*r.recent, outcome)})
        return Recorded.RECORDED


@dataclass
class FakeRules:
    """The `RulesStore` face of a `FakeReviewerStore`."""

    store: FakeReviewerStore

    def get(self) -> ReviewerRules:
        return self.store.rules_doc

    def put(self, rules: ReviewerRules) -> None:
        self.store.rules_doc = rules


def fake_ports(store: FakeReviewerStore) -> ReviewerPorts:
    """The store's ports, with the rules port as its own object (the method names overlap)."""
    return ReviewerPorts(reviewers=store, rules=store.rules_view, pool=store, seats=store, outcomes=store)
