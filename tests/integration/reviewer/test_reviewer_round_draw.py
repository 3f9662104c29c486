"""One draw per round on moto's DynamoDB: a second draw of a round never invites anyone else."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from quorum_reviewer.domain.errors import DrawInProgress
from quorum_reviewer.domain.model import Profile
from quorum_reviewer.domain.rules import FatigueCaps, ReviewerRules
from quorum_reviewer.service.draw import DrawPanel, PanelDrawn, draw_panel
from quorum_reviewer.service.ports import Reservation, ReviewerPorts
from quorum_reviewer.service.reviewers import PutProfile, put_profile
from quorum_reviewer.service.sweeps import Sweep, run_enrollment

NOW = datetime.now(UTC)
ROUND = DrawPanel(case_id="case-1", seats=3, round=1)


@pytest.fixture
def pool(ports: ReviewerPorts) -> ReviewerPorts:
    ports.rules.put(ReviewerRules(fatigue=FatigueCaps(max_open_invitations=5, max_assignments_per_day=50)))
    profile = Profile(tags=(), last_active_at=NOW - timedelta(days=1), registered_at=NOW - timedelta(days=400),
                      credit_score=700)
    for i in range(8):
        put_profile(PutProfile(f"r{i}", profile), ports.reviewers, ports.rules, NOW)
    run_enrollment(Sweep(None, 100), ports.reviewers, ports.rules, NOW, lambda: True)
    return ports


class InterruptedSeats:
    """The real seat ledger; before the first seat is taken, `meanwhile` runs (a second draw of the round)."""

    def __init__(self, seats: Any, meanwhile: Any):
        self.seats, self.meanwhile = seats, meanwhile

    def __getattr__(self, name: str) -> Any:
        return getattr(self.seats, name)

    def reserve(self, reservation: Reservation) -> bool:
        if self.meanwhile is not None:
            run, self.meanwhile = self.meanwhile, None
            run()
        return bool(self.seats.reserve(reservation))


def open_seats(ports: ReviewerPorts) -> dict[str, int]:
    return {f"r{i}": r.fatigue.open_invitations for i in range(8) if (r := ports.reviewers.get(f"r{i}"))}


def test_a_second_draw_that_starts_while_the_first_runs_invites_no_one(pool: ReviewerPorts) -> None:
    # Given a draw of round 1 that has reserved the round and is about to take its first seat
    second: list[Any] = []

    def retry_meanwhile() -> None:  # a Step Functions retry while the first Lambda still runs
        try:
            second.append(draw_panel(ROUND, pool, NOW))
        except DrawInProgress as exc:
            second.append(exc)

    first = draw_panel(ROUND, dataclasses.replace(pool, seats=InterruptedSeats(pool.seats, retry_meanwhile)), NOW)
    # Then the second draw invited no one and asked to be retried
    assert isinstance(second[0], DrawInProgress)
    # And a later retry of the round gets the first draw's panel
    assert draw_panel(ROUND, pool, NOW) == first and len(first.reviewer_ids) == 3
    # And only the panel's reviewers hold an invitation and a fatigue slot
    invited = sorted(i.reviewer_id for i in pool.seats.invitations_for("case-1"))
    assert invited == sorted(first.reviewer_ids)
    assert sum(open_seats(pool).values()) == 3


def test_draws_of_one_round_at_once_seat_one_panel(pool: ReviewerPorts) -> None:
    # Given six draws of the same round started together
    start, results = threading.Barrier(6), []

    def draw() -> None:
        start.wait()
        try:
            results.append(draw_panel(ROUND, pool, NOW))
        except DrawInProgress as exc:
            results.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # Then the panels returned are all one panel, and only its three reviewers were invited
    panels = [r for r in results if isinstance(r, PanelDrawn)]
    assert len(results) == 6 and panels and all(p == panels[0] for p in panels)
    assert sorted(i.reviewer_id for i in pool.seats.invitations_for("case-1")) == sorted(panels[0].reviewer_ids)
    assert sum(open_seats(pool).values()) == 3
