"""Panel draws on moto's DynamoDB: concurrency, status and tag pools, seats, outcomes, read cost."""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from reviewer_http import table_items as table_dump

from quorum_common.dynamo import Table
from quorum_reviewer.adapters import dynamo_ports
from quorum_reviewer.domain.errors import ConcurrentUpdate
from quorum_reviewer.domain.invitation import SeatState
from quorum_reviewer.domain.model import Profile, Reviewer, Status
from quorum_reviewer.domain.quality import outcome_of
from quorum_reviewer.domain.rules import FatigueCaps, ReviewerRules
from quorum_reviewer.service.draw import DrawPanel, draw_panel
from quorum_reviewer.service.ports import ReviewerPorts
from quorum_reviewer.service.reviewers import PutProfile, SetStatus, put_profile, set_status
from quorum_reviewer.service.seats import RecordOutcomes, ReleaseSeat, record_outcomes, release_seat

NOW = datetime.now(UTC)


def enroll(ports: ReviewerPorts, user_id: str, tags: tuple[str, ...] = (), status: Status = Status.ACTIVE) -> None:
    """A stored profile moved straight to `status` (as enrollment or ops would)."""
    prof = Profile(tags=tags, last_active_at=NOW - timedelta(days=1), registered_at=NOW - timedelta(days=400),
                   credit_score=700)
    put_profile(PutProfile(user_id, prof), ports.reviewers, ports.rules, NOW)
    set_status(SetStatus(user_id, status, "test", "test"), ports.reviewers, NOW)


def stored(ports: ReviewerPorts, user_id: str) -> Reviewer:
    reviewer = ports.reviewers.get(user_id)
    assert reviewer is not None
    return reviewer


def test_concurrent_draws_never_over_assign(ports: ReviewerPorts) -> None:
    # Given 3 reviewers who may each hold one open invitation
    ports.rules.put(ReviewerRules(fatigue=FatigueCaps(max_open_invitations=1)))
    for uid in ("r1", "r2", "r3"):
        enroll(ports, uid)
    start, results, errors = threading.Barrier(12), [], []

    def draw(n: int) -> None:
        start.wait()
        try:
            results.append(draw_panel(DrawPanel(case_id=f"case{n}", seats=2), ports, NOW))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    # When 12 draws for 12 cases run at once
    threads = [threading.Thread(target=draw, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # Then exactly 3 seats went out, one per reviewer, and the counters agree with the invitations
    assert not errors
    seated = Counter(uid for r in results for uid in r.reviewer_ids)
    assert seated == Counter({"r1": 1, "r2": 1, "r3": 1})
    assert sum(r.short_by for r in results) == 12 * 2 - 3
    assert all(stored(ports, uid).fatigue.open_invitations == 1 for uid in ("r1", "r2", "r3"))
    invitations = [i for n in range(12) for i in ports.seats.invitations_for(f"case{n}")]
    assert sorted(i.reviewer_id for i in invitations) == ["r1", "r2", "r3"]


@pytest.mark.parametrize("status", [Status.SUSPENDED, Status.PAUSED, Status.RETIRED])
def test_reviewers_who_are_not_active_are_never_drawn(ports: ReviewerPorts, status: Status) -> None:
    for i in range(4):
        enroll(ports, f"ok{i}")
        enroll(ports, f"off{i}", status=status)
    ports.rules.put(ReviewerRules(fatigue=FatigueCaps(max_open_invitations=100, max_assignments_per_day=1000)))
    drawn = [uid for n in range(25) for uid in draw_panel(DrawPanel(case_id=f"c{n}", seats=3), ports, NOW).reviewer_ids]
    assert len(drawn) == 75 and {u for u in drawn} <= {f"ok{i}" for i in range(4)}


def test_a_reviewer_suspended_after_enrollment_leaves_the_pool(ports: ReviewerPorts) -> None:
    enroll(ports, "r1", tags=("trusted",))
    set_status(SetStatus("r1", Status.SUSPENDED, "no-shows", "ops:o"), ports.reviewers, NOW)
    assert draw_panel(DrawPanel(case_id="c1", seats=1), ports, NOW).reviewer_ids == []
    assert draw_panel(DrawPanel(case_id="c1", seats=1, tags=("trusted",)), ports, NOW).reviewer_ids == []
    set_status(SetStatus("r1", Status.ACTIVE, "lifted", "ops:o"), ports.reviewers, NOW)
    assert draw_panel(DrawPanel(case_id="c1", seats=1, tags=("trusted",)), ports, NOW).reviewer_ids == ["r1"]


def test_tag_pools_follow_profile_tags(ports: ReviewerPorts) -> None:
    enroll(ports, "t1", tags=("trusted", "seller"))
    enroll(ports, "plain")
    tagged = draw_panel(DrawPanel(case_id="c1", seats=3, tags=("trusted", "seller")), ports, NOW)
    assert tagged.reviewer_ids == ["t1"] and tagged.short_by == 2
    # When the module drops the tag, the reviewer leaves that tag's pool
    current = stored(ports, "t1")
    put_profile(PutProfile("t1", current.profile.model_copy(update={"tags": ("seller",)})), ports.reviewers,
                ports.rules, NOW)
    assert draw_panel(DrawPanel(case_id="c2", seats=1, tags=("trusted",)), ports, NOW).reviewer_ids == []
    assert draw_panel(DrawPanel(case_id="c2", seats=1, tags=("seller",)), ports, NOW).reviewer_ids == ["t1"]


def test_release_is_exactly_once_and_outcomes_count_once(ports: ReviewerPorts) -> None:
    for uid in ("a", "b", "c"):
        enroll(ports, uid)
    draw_panel(DrawPanel(case_id="k1", seats=3, round=0), ports, NOW)
    assert release_seat(ReleaseSeat("k1", "a", SeatState.VOTED), ports.seats, NOW)
    assert not release_seat(ReleaseSeat("k1", "a", SeatState.VOTED), ports.seats, NOW)
    assert not release_seat(ReleaseSeat("k1", "nobody", SeatState.EXPIRED), ports.seats, NOW)
    assert stored(ports, "a").fatigue.open_invitations == 0
    cmd = RecordOutcomes(case_id="k1", decision="violation", invited=("a", "b", "c"),
                         verdicts={"a": "violation", "b": "no_violation"})
    first, again = (record_outcomes(cmd, ports.outcomes, ports.seats, NOW) for _ in range(2))
    assert (first.released, again.released) == (2, 0)
    assert [stored(ports, u).stats.model_dump() for u in ("a", "b", "c")] == [
        {"invited": 1, "voted": 1, "no_shows": 0, "agreed": 1},
        {"invited": 1, "voted": 1, "no_shows": 0, "agreed": 0},
        {"invited": 1, "voted": 0, "no_shows": 1, "agreed": 0}]
    assert [stored(ports, u).recent for u in ("a", "b", "c")] == [("A",), ("D",), ("N",)]
    assert all(stored(ports, u).fatigue.open_invitations == 0 for u in ("a", "b", "c"))


class ReadMeter:
    """Counts DynamoDB requests and items read, from the responses themselves."""

    def __init__(self) -> None:
        self.requests: Counter = Counter()
        self.items = 0

    def __call__(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.requests[model.name] += 1
        self.items += parsed.get("ScannedCount", 0) + (1 if parsed.get("Item") else 0)


def test_a_draw_reads_a_few_items_and_never_scans(reviewer_table: str) -> None:
    # Given 60 profiles of which 30% are eligible for a `trusted` draw (the rest untagged or paused)
    meter = ReadMeter()

    def metered_client() -> Any:
        client = boto3.client("dynamodb")
        client.meta.events.register("after-call.dynamodb", meter)
        return client

    ports = dynamo_ports(Table(reviewer_table, metered_client()), random.Random(1))
    for i in range(60):
        kind = i % 10
        status = Status.PAUSED if kind >= 8 else Status.ACTIVE
        prof = Profile(tags=("trusted",) if kind < 3 else (), last_active_at=NOW, registered_at=NOW - timedelta(days=400),
                       credit_score=700)
        ports.reviewers.save(Reviewer(user_id=f"u{i}", profile=prof).with_status(status, "test", "test", NOW), None)
    # When 12 five-seat panels are drawn (each panel's seats released before the next draw)
    reads = []
    for n in range(12):
        before = meter.items
        drawn = draw_panel(DrawPanel(case_id=f"c{n}", seats=5, tags=("trusted",)), ports, NOW, random.Random(n))
        reads.append(meter.items - before)
        assert drawn.short_by == 0
        for uid in drawn.reviewer_ids:
            release_seat(ReleaseSeat(f"c{n}", uid, SeatState.VOTED), ports.seats, NOW)
    # Then no draw scanned, and the median draw read at most 4x the panel size
    assert meter.requests["Scan"] == 0 and meter.requests["Query"] > 0
    assert sorted(reads)[len(reads) // 2] <= 20, reads


def test_bulk_load_leaves_the_same_items_as_save(ports: ReviewerPorts, reviewer_table: str) -> None:
    # Given the same reviewer stored once through `save` and once through `bulk_load`
    prof = Profile(tags=("trusted",), last_active_at=NOW, registered_at=NOW - timedelta(days=400), credit_score=700)
    for uid, store in (("saved", lambda r: ports.reviewers.save(r, None)), ("loaded", lambda r: ports.reviewers.bulk_load([r]))):
        store(Reviewer(user_id=uid, profile=prof).with_status(Status.ACTIVE, "test", "test", NOW))
    # Then both have the same attributes (ids and random keys aside) and both can be drawn
    ignore = {"pk", "user_id", "gsi1pk", "gsi1sk", "draw_key"}
    shapes = {}
    for item in table_dump(reviewer_table):
        uid = item["user_id"]["S"]
        shapes.setdefault(uid, []).append({k: v for k, v in item.items() if k not in ignore})
    assert shapes["saved"] == shapes["loaded"] and len(shapes["saved"]) == 2
    assert stored(ports, "saved").model_dump(exclude={"user_id"}) == stored(ports, "loaded").model_dump(exclude={"user_id"})
    drawn = draw_panel(DrawPanel(case_id="c", seats=2, tags=("trusted",)), ports, NOW)
    assert sorted(drawn.reviewer_ids) == ["loaded", "saved"]


@pytest.mark.parametrize("tags", [(), ("trusted",)])  # a plain update, and a transaction with pool entries
def test_a_stale_write_is_refused(ports: ReviewerPorts, tags: tuple[str, ...]) -> None:
    enroll(ports, "r1", tags=tags, status=Status.PAUSED)
    seen = stored(ports, "r1")
    ports.reviewers.save(seen.with_status(Status.ACTIVE, "first", "ops:a", NOW), seen)
    with pytest.raises(ConcurrentUpdate):
        ports.reviewers.save(seen.with_status(Status.RETIRED, "second", "ops:b", NOW), seen)
    assert stored(ports, "r1").status is Status.ACTIVE


def test_tidy_keeps_the_last_window_and_todays_counter(ports: ReviewerPorts) -> None:
    enroll(ports, "r1")
    for n in range(7):
        verdict = "violation" if n % 2 else "no_violation"
        ports.outcomes.record(f"case{n}", "r1", outcome_of(verdict, "violation"), NOW)
    today = NOW.date().isoformat()
    draw_panel(DrawPanel(case_id="fresh", seats=1), ports, NOW)
    draw_panel(DrawPanel(case_id="old", seats=1), ports, NOW - timedelta(days=3))
    before = stored(ports, "r1")
    assert len(before.recent) == 7 and len(before.fatigue.daily) == 2
    ports.reviewers.tidy(before, 4, today)
    after = stored(ports, "r1")
    assert after.recent == before.recent[-4:] and after.fatigue.daily == {today: 1}
