"""Outcomes move a reviewer's stats by the domain's `stats_delta`, once per case, under any sequence
of decided cases (hypothesis).

It runs against `FakeReviewerStore` and against the DynamoDB adapter that ships, on moto with the
reviewer table of template.yaml: the ADD expression the adapter writes must keep the same rule.
"""

from __future__ import annotations

import itertools
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
from quorum_reviewer.domain.model import Profile, Reviewer, Stats
from quorum_reviewer.domain.quality import outcome_of, stats_delta
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
