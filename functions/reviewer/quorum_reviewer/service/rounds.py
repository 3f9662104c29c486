"""One draw per round: a reservation keyed by (case, round) holds the panel its draw invited.

A Step Functions retry can start a second draw of a round while the first still runs; without
the reservation each would invite different reviewers. The first draw reserves the round for as
long as its invocation can live (the lease), and stores its panel there when done; a later draw
of the round returns that panel, and one that finds the draw still running raises
`DrawInProgress` (retried by the state machine). A lease that ran out belongs to a draw that
died: the next draw takes the round over and keeps the seats already taken (see `draw.py`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from quorum_reviewer.domain.errors import DrawInProgress
from quorum_reviewer.service.ports import RoundRecord, SeatLedger

DRAW_LEASE = timedelta(minutes=15)  # Lambda's longest invocation: no draw outlives it


def claim_round(seats: SeatLedger, case_id: str, round_: int | None, now: datetime,
                lease: timedelta = DRAW_LEASE) -> RoundRecord | None:
    """The panel of the round's finished draw, or None when this call now holds the round and must draw."""
    if round_ is None:
        return None  # a draw outside the lifecycle's rounds reserves nothing
    found = seats.claim_round(case_id, round_, now, now + lease)
    if found is not None and found.reviewer_ids is None:
        raise DrawInProgress(f"Round {round_} of case {case_id} is being drawn by another invocation.")
    return found


def finish_round(seats: SeatLedger, case_id: str, round_: int | None, drawn: RoundRecord) -> None:
    """Keep the round's panel on its reservation."""
    if round_ is not None:
        seats.finish_round(case_id, round_, drawn)
