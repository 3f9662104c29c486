"""Balanced panels: no region fills more than ceil(share x seats) seats of one round.

Reviewers without a region are not capped: a region is a module's optional signal, and a
reviewer who has none cannot make a panel lean towards one region.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Balance(StrEnum):
    """What a draw does with reviewers over their region's cap."""

    STRICT = "strict"  # never seat them: fewer seats rather than an unbalanced panel
    PREFER = "prefer"  # set them aside; seat them only if the walk ends short


def region_cap(share: float, seats: int) -> int | None:
    """The most seats one region may fill in a round of `seats`; None: no cap (share 1)."""
    if share >= 1:
        return None
    return max(1, math.ceil(round(share * seats, 9)))  # 0.6 x 5 is 3.0000000000000004 in floats


@dataclass
class RegionTally:
    """The seats each region holds in the round so far, against the round's cap."""

    cap: int | None
    counts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, share: float, seats: int, seated: Iterable[str | None] = ()) -> RegionTally:
        tally = cls(cap=region_cap(share, seats))
        for region in seated:
            tally.seat(region)
        return tally

    def fits(self, region: str | None) -> bool:
        """Whether one more reviewer of `region` stays within the cap (no region: always)."""
        return region is None or self.cap is None or self.counts[region] < self.cap

    def seat(self, region: str | None) -> None:
        if region is not None:
            self.counts[region] += 1
