"""The rules the adapters encode in DynamoDB expressions, as properties (hypothesis): outcomes move
a reviewer's stats by the domain's `stats_delta`, once per case; draws never seat a reviewer beyond
the domain's fatigue caps.

Each runs against `FakeReviewerStore` and against the DynamoDB adapters that ship, on moto with the
reviewer table of template.yaml: the ADD and condition expressions they write must keep the same rules.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reviewer_fakes import NOW, FakeReviewerStore, fake_ports

from quorum_common.dynamo import Table
from quorum_common.vocabulary import DECISIONS, Decision
from quorum_local.template import Template
from quorum_reviewer.adapters import dynamo_ports
from quorum_reviewer.domain.model import Profile, Reviewer, Stats, Status
from quorum_reviewer.domain.quality import outcome_of, stats_delta
from quorum_reviewer.domain.rules import FatigueCaps, ReviewerRules
from quorum_reviewer.service.draw import DrawPanel, draw_panel
from quorum_reviewer.service.ports import Recorded, ReviewerPorts

PROFILE = Profile(last_active_at=NOW, registered_at=NOW - timedelta(days=400), credit_score=700)
TABLE_KEYS = ("TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "GlobalSecondaryIndexes")
ids = itertools.count()
decided_cases = st.lists(st.tuples(st.integers(0, 4), st.sampled_from([None, *DECISIONS]), st.sampled_from(DECISIONS)),
                         max_size=10)


@pytest.fixture(params=["fake", "moto"])
def ports(request: pytest.FixtureRequest) -> ReviewerPorts:
    """The reviewer ports: the in-memory fake, or the DynamoDB adapters on moto's reviewer table."""
    if request.param == "fake":
        return fake_ports(FakeReviewerStore())
    request.getfixturevalue("aws")
    props = Template.load("local", overrides={"TracingMode": "PassThrough"}).properties("ReviewerTable")
    boto3.client("dynamodb").create_table(**{k: props[k] for k in TABLE_KEYS})
    return dynamo_ports(Table(props["TableName"]))


def _plus(total: Stats, delta: Stats) -> Stats:
    return Stats(**{name: getattr(total, name) + getattr(delta, name) for name in Stats.model_fields})


# Each example stores its own reviewer, so examples sharing the fixture's table do not interfere.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=decided_cases)
def test_each_decided_case_moves_the_stats_by_its_outcome_exactly_once(ports: ReviewerPorts,
                                                                     cases: list[tuple[int, Decision | None, Decision]]) -> None:
    # Given a stored reviewer
    uid, ghost = f"r{next(ids)}", f"ghost{next(ids)}"
    ports.reviewers.save(Reviewer(user_id=uid, profile=PROFILE), None)
    expected, window, seen = Stats(), [], set()
    # When each case's outcome is recorded (a case may be recorded again, with any verdict)
    for case, verdict, decision in cases:
        outcome = outcome_of(verdict, decision)
        recorded = ports.outcomes.record(f"case{case}", uid, outcome, NOW)
        assert recorded is (Recorded.DUPLICATE if case in seen else Recorded.RECORDED)
        if case not in seen:
            seen.add(case)
            expected, window = _plus(expected, stats_delta(outcome)), [*window, outcome]
    # Then the stats are the sum of the first outcome of each case, and the window holds them in order
    stored = ports.reviewers.get(uid)
    assert stored is not None and stored.stats == expected and stored.recent == tuple(window)
    assert stored.stats.invited == stored.stats.voted + stored.stats.no_shows >= stored.stats.agreed
    # and an unknown reviewer's outcome is refused and stores nothing
    assert ports.outcomes.record("case0", ghost, outcome_of(None, "violation"), NOW) is Recorded.UNKNOWN_REVIEWER
    assert ports.reviewers.get(ghost) is None


# Each example draws from its own tag's pool, so the reviewers of earlier examples are never candidates.
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(max_open=st.integers(1, 3), max_day=st.integers(1, 3), draws=st.integers(1, 6), seats=st.integers(1, 3))
def test_draws_never_seat_a_reviewer_beyond_the_fatigue_caps(ports: ReviewerPorts, max_open: int, max_day: int,
                                                            draws: int, seats: int) -> None:
    # Given three active reviewers carrying this example's tag, under caps drawn by hypothesis
    tag, cap = f"t{next(ids)}", min(max_open, max_day)
    uids = [f"{tag}-r{n}" for n in range(3)]
    ports.rules.put(ReviewerRules(fatigue=FatigueCaps(max_open_invitations=max_open, max_assignments_per_day=max_day)))
    for uid in uids:
        reviewer = Reviewer(user_id=uid, profile=PROFILE.model_copy(update={"tags": (tag,)}))
        ports.reviewers.save(reviewer, None)
        ports.reviewers.save(reviewer.with_status(Status.ACTIVE, "test", "test", NOW), ports.reviewers.get(uid))
    # When panels are drawn for several cases on one day, without releasing a seat
    held: Counter[str] = Counter()
    for n in range(draws):
        room = {uid for uid in uids if held[uid] < cap}
        panel = draw_panel(DrawPanel(case_id=f"{tag}-c{n}", seats=seats, tags=(tag,)), ports, NOW)
        # Then only reviewers under both caps are seated, and no seat stays empty while one has room
        assert set(panel.reviewer_ids) <= room and len(panel.reviewer_ids) == min(seats, len(room))
        held.update(panel.reviewer_ids)
    for uid in uids:
        stored = ports.reviewers.get(uid)
        assert stored is not None and stored.fatigue.open_invitations == held[uid] <= cap
