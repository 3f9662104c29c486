"""The panel draw: uniformly random eligible reviewers, at a cost that does not grow with the pool."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from quorum_common.vocabulary import utc_day
from quorum_reviewer.domain.balance import Balance, RegionTally
from quorum_reviewer.domain.draw import Candidate, is_candidate, page_size, pool_for, read_budget
from quorum_reviewer.domain.invitation import Brief, Invitation
from quorum_reviewer.domain.rules import FatigueCaps
from quorum_reviewer.service.ports import DrawIndex, Reservation, ReviewerPorts, RoundRecord
from quorum_reviewer.service.rounds import DRAW_LEASE, claim_round, finish_round


@dataclass(frozen=True)
class DrawPanel:
    """Draw `seats` reviewers for a case; `round` makes a retried draw of the same round idempotent."""

    case_id: str
    seats: int
    exclude: frozenset[str] = frozenset()
    tags: tuple[str, ...] = ()
    round: int | None = None
    brief: Brief = Brief()
    max_region_share: float = 1.0
    balance: Balance = Balance.PREFER


@dataclass(frozen=True)
class PanelDrawn:
    """The reviewers invited (in draw order) and how many seats stayed empty."""

    reviewer_ids: list[str]
    short_by: int


@dataclass
class _Progress:
    """What the walk has read and won so far; it sizes the next index page."""

    seats: int
    chosen: list[str] = field(default_factory=list)
    read: int = 0

    @property
    def need(self) -> int:
        return self.seats - len(self.chosen)

    def next_page(self) -> int:
        return page_size(self.need, self.read, len(self.chosen))


def walk_pool(index: DrawIndex, pool: str, start: float, progress: _Progress, today: str) -> Iterator[Candidate]:
    """Entries in key order from `start` to the end, then from the beginning up to `start` (once round)."""
    for lower, upper in ((start, None), (0.0, start)):
        cursor = None
        while True:
            page = index.page(pool, lower, upper, progress.next_page(), cursor, today)
            yield from page.items
            if page.cursor is None:
                break
            cursor = page.cursor


def _already_in_round(invitations: list[Invitation], cmd: DrawPanel) -> list[str]:
    if cmd.round is None:
        return []
    return [i.reviewer_id for i in invitations if i.round == cmd.round][: cmd.seats]


def draw_panel(cmd: DrawPanel, ports: ReviewerPorts, now: datetime,
               rng: random.Random | None = None, lease: timedelta = DRAW_LEASE) -> PanelDrawn:
    """Invite up to `cmd.seats` eligible reviewers: active, tagged, not excluded, not yet invited to
    the case, under both fatigue caps, no region over its share of the round (`domain/balance.py`).
    Each seat is taken atomically (fatigue slot + invitation).
    A round is drawn once: a later draw of it returns the first one's panel (see `rounds.py`)."""
    stored = claim_round(ports.seats, cmd.case_id, cmd.round, now, lease)
    if stored is not None and stored.reviewer_ids is not None:
        return PanelDrawn(reviewer_ids=stored.reviewer_ids, short_by=stored.short_by)
    drawn = _draw(cmd, ports, now, rng or random.SystemRandom())
    finish_round(ports.seats, cmd.case_id, cmd.round, RoundRecord(drawn.reviewer_ids, drawn.short_by))
    return drawn


def _draw(cmd: DrawPanel, ports: ReviewerPorts, now: datetime, rng: random.Random) -> PanelDrawn:
    invitations = ports.seats.invitations_for(cmd.case_id)
    progress = _Progress(seats=cmd.seats, chosen=_already_in_round(invitations, cmd))
    if progress.need <= 0:
        return PanelDrawn(reviewer_ids=progress.chosen, short_by=0)
    blocked = set(cmd.exclude) | {i.reviewer_id for i in invitations}
    caps, today = ports.rules.get().fatigue, utc_day(now)
    regions, set_aside = _round_regions(cmd, ports, progress.chosen), list[Candidate]()
    for candidate in walk_pool(ports.pool, pool_for(cmd.tags), rng.random(), progress, today):
        progress.read += 1
        if is_candidate(candidate, blocked, cmd.tags, caps):
            blocked.add(candidate.user_id)
            if not regions.fits(candidate.region):
                set_aside.append(candidate)
            elif _take_seat(ports, cmd, candidate, caps, today, now, rng):
                progress.chosen.append(candidate.user_id)
                regions.seat(candidate.region)
        if progress.need == 0 or progress.read >= read_budget(cmd.seats):
            break
    if cmd.balance is Balance.PREFER:  # better a full panel than an empty seat: over-cap reviewers, in walk order
        for candidate in set_aside:
            if progress.need == 0:
                break
            if _take_seat(ports, cmd, candidate, caps, today, now, rng):
                progress.chosen.append(candidate.user_id)
    return PanelDrawn(reviewer_ids=progress.chosen, short_by=progress.need)


def _round_regions(cmd: DrawPanel, ports: ReviewerPorts, seated: list[str]) -> RegionTally:
    """The round's region tally, counting reviewers a retried draw of the round already seated."""
    if cmd.max_region_share >= 1 or not seated:
        return RegionTally.of(cmd.max_region_share, cmd.seats)
    known = ports.reviewers.get_many(seated)
    return RegionTally.of(cmd.max_region_share, cmd.seats, (known[r].profile.region for r in seated if r in known))


def _take_seat(ports: ReviewerPorts, cmd: DrawPanel, candidate: Candidate, caps: FatigueCaps, today: str,
               now: datetime, rng: random.Random) -> bool:
    invitation = Invitation(case_id=cmd.case_id, reviewer_id=candidate.user_id, round=cmd.round,
                            brief=cmd.brief, invited_at=now)
    return ports.seats.reserve(Reservation(candidate=candidate, invitation=invitation, tags=cmd.tags,
                                           caps=caps, today=today, new_key=rng.random()))
