"""The pure parts of bench/load.py: the open loop's schedule and the percentiles it prints."""

from __future__ import annotations

import pytest

from bench.load import percentile, schedule


def test_the_schedule_is_a_fixed_rate_over_the_duration() -> None:
    assert schedule(1, 60) == [float(i) for i in range(60)]
    assert schedule(0.5, 20) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0]
    assert len(schedule(10, 20)) == 200  # no extra start from float rounding
    assert schedule(3, 0) == []


@pytest.mark.parametrize(("q", "expected"), [(50, 50), (95, 95), (99, 99), (100, 100), (0, 1)])
def test_percentiles_are_nearest_rank(q: float, expected: float) -> None:
    values = [float(v) for v in range(100, 0, -1)]  # unordered input
    assert percentile(values, q) == expected


def test_a_single_sample_is_every_percentile() -> None:
    assert {percentile([0.2], q) for q in (50, 95, 99)} == {0.2}
