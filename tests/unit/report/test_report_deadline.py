"""A case's current deadline: what the console's queue counts down to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quorum_report.domain.case import RESOLUTION_WINDOW, Case, Target, TimelineEntry
from quorum_report.domain.policy import default_policy

OPENED = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
WINDOW_END = OPENED + timedelta(hours=12)


def case(**fields) -> Case:
    return Case(case_id="case-1", target=Target(module="comment", id="c-1", owner_id="o-1"), reason="spam",
                policy=default_policy("comment"), created_at=OPENED, round_deadline=WINDOW_END, **fields)


def test_a_voting_case_waits_for_its_round_window() -> None:
    assert case().deadline == WINDOW_END


def test_a_settled_or_decided_case_waits_for_nothing() -> None:
    assert case(settled="violation").deadline is None
    assert case(status="decided", decision="violation").deadline is None


def test_an_escalated_case_waits_for_ops_from_its_latest_escalation() -> None:
    first, again = OPENED + timedelta(hours=13), OPENED + timedelta(days=31)
    timeline = (TimelineEntry(at=first, event="escalated"), TimelineEntry(at=again, event="escalated"))
    assert case(status="escalated", timeline=timeline[:1]).deadline == first + RESOLUTION_WINDOW
    assert case(status="escalated", timeline=timeline).deadline == again + RESOLUTION_WINDOW  # ops alerted again
