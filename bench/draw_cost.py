"""Draw cost versus pool size: DynamoDB items read and requests per 5-seat panel draw.

Runs on moto in this process (no AWS account). For each pool size it creates the reviewer table
from template.yaml, loads the pool (batch writes), runs N panel draws through the real use case
and DynamoDB adapters, and prints, per draw, the items DynamoDB reads (ScannedCount of every
Query/Scan, plus 1 per GetItem hit) and the requests sent, counted by a botocore `after-call`
hook on the client. The baseline is a full Scan with a filter on the same data, measured in the
same run. Goal: flat in pool size, and <= 4 x panel size (20) items read per draw.

Population of every pool (eligibility is for the measured draws):
  30 %  active, tagged `trusted`, under both fatigue caps   -> eligible for every draw
  10 %  active, tagged `trusted`, at the open-invitation cap -> in both pools, refused
  20 %  active, untagged, free                               -> eligible for untagged draws only
  40 %  paused / suspended / retired / never enrolled        -> in no pool
Draws: `chat` (tags=[trusted]: 30 % of profiles eligible) and `listing` (no tags: 50 % eligible).
Seats are released after each draw (not counted), so the mix stays the same during the run.

moto note: moto's TransactWriteItems deep-copies every table it touches before each transaction
(for rollback), which costs O(table) per draw seat; on 100,000 profiles that alone takes minutes.
`quorum_local.moto_patches` swaps in an item-level undo log (as for the local cloud and the tests).
It changes only moto's rollback bookkeeping, not what a request reads or writes.
moto's Query also sorts every item of the table with Python-level comparisons before it picks the
partition; the script skips that global sort (both Query paths sort their own matches again), and
sorts Query matches and Scan's table order on native keys. Same items, same order, same counts.
moto stays O(table) in wall time per request anyway, so wall time here says nothing about
DynamoDB; items read and requests are what DynamoDB bills and what this script reports.

Usage: python bench/draw_cost.py [--sizes 1000,10000,100000] [--draws 30] [--seats 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / p) for p in ("layers/common", "functions/reviewer", "infra")]
for name, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}.items():
    os.environ.setdefault(name, value)
os.environ.pop("AWS_ENDPOINT_URL", None)

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.dynamodb.models.dynamo_type import DynamoType, Item  # noqa: E402
from moto.dynamodb.models.table import Table  # noqa: E402

from quorum_common.dynamo import Table as ReviewerTable  # noqa: E402
from quorum_local import moto_patches  # noqa: E402
from quorum_local.template import Template  # noqa: E402
from quorum_reviewer.adapters import dynamo_ports  # noqa: E402
from quorum_reviewer.adapters.reviewers import DynamoReviewerRepository  # noqa: E402
from quorum_reviewer.domain.invitation import SeatState  # noqa: E402
from quorum_reviewer.domain.model import Fatigue, Profile, Reviewer, Status  # noqa: E402
from quorum_reviewer.service.draw import DrawPanel, draw_panel  # noqa: E402
from quorum_reviewer.service.ports import ReviewerPorts  # noqa: E402
from quorum_reviewer.service.seats import ReleaseSeat, release_seat  # noqa: E402

NOW = datetime.now(UTC)
SCENARIOS = {"chat": ("trusted",), "listing": ()}


# ---------------------------------------------------------------------- metering
class Meter:
    """Items read and requests, from DynamoDB's own responses (botocore `after-call` hook)."""

    def __init__(self) -> None:
        self.items = 0
        self.requests: Counter = Counter()

    def __call__(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.requests[model.name] += 1
        if "ScannedCount" in parsed:
            self.items += parsed["ScannedCount"]
        elif model.name == "GetItem" and parsed.get("Item"):
            self.items += 1
        elif model.name == "BatchGetItem":
            self.items += sum(len(v) for v in parsed.get("Responses", {}).values())

    def snapshot(self) -> tuple[int, int]:
        return self.items, sum(self.requests.values())


# ---------------------------------------------------------------------- moto: item-level rollback
@contextmanager
def item_level_transactions() -> Iterator[None]:
    """moto_patches' item-level undo log for transactions (the local cloud's and the tests' too)."""
    moto_patches.apply()
    try:
        yield
    finally:
        moto_patches.revert()


@contextmanager
def faster_queries() -> Iterator[None]:
    """moto's Query without its redundant global sort; its sorts (Query matches, Scan order) on native keys."""
    original_query, original_sorted, original_all = Table.query, Table.sorted_items, Table.all_items

    def query(self: Table, *args: Any, **kwargs: Any) -> Any:
        self.all_items = lambda: [i for group in self.items.values()  # type: ignore[method-assign,misc]
                                  for i in (group.values() if self.range_key_attr else [group])]
        try:
            return original_query(self, *args, **kwargs)
        finally:
            del self.all_items

    def sorted_items(self: Table, hash_key_attrs: list[str], range_key_attrs: list[str | None],
                     items: list[Item]) -> list[Item]:
        attrs = self._generate_attr_to_sort_by(hash_key_attrs, range_key_attrs)
        items.sort(key=lambda item: tuple(_native(item.attrs[a]) for a in attrs))
        return items

    def all_items(self: Table) -> list[Any]:  # Scan pages need the table order: sort on native keys
        items = [i for group in self.items.values() for i in (group.values() if self.range_key_attr else [group])]
        return sorted(items, key=lambda i: (_native(i.hash_key), _native(i.range_key) if i.range_key else ""))

    Table.query, Table.sorted_items, Table.all_items = query, sorted_items, all_items  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query, Table.sorted_items, Table.all_items = (  # type: ignore[method-assign]
            original_query, original_sorted, original_all)


def _native(value: DynamoType) -> Any:
    return Decimal(value.value) if value.type == "N" else value.value


# ---------------------------------------------------------------------- the pool
def population(size: int, rng: random.Random) -> list[Reviewer]:
    """`size` reviewers in the documented mix (shuffled, so mixes do not follow user ids)."""
    kinds = ["eligible"] * 30 + ["capped"] * 10 + ["untagged"] * 20 + ["inactive"] * 40
    statuses = [Status.PAUSED, Status.SUSPENDED, Status.RETIRED, None]
    reviewers = []
    for i in range(size):
        kind = kinds[rng.randrange(100)] if size < 100 else kinds[(i * 100) // size]
        tags = () if kind == "untagged" else ("trusted",)
        prof = Profile(tags=tags, last_active_at=NOW - timedelta(days=1), registered_at=NOW - timedelta(days=400),
                       credit_score=700)
        reviewer = Reviewer(user_id=f"user-{i:06d}", profile=prof)
        status = statuses[i % 4] if kind == "inactive" else Status.ACTIVE
        if status:
            reviewer = reviewer.with_status(status, "bench", "bench", NOW)
        if kind == "capped":
            reviewer = reviewer.model_copy(update={"fatigue": Fatigue(open_invitations=3)})
        reviewers.append(reviewer)
    rng.shuffle(reviewers)
    return reviewers


def create_table() -> str:
    props = Template.load("local").properties("ReviewerTable")
    keys = ("TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "GlobalSecondaryIndexes")
    boto3.client("dynamodb").create_table(**{k: props[k] for k in keys})
    return props["TableName"]


def load(ports: ReviewerPorts, reviewers: list[Reviewer]) -> int:
    written, step = 0, 5000
    for start in range(0, len(reviewers), step):
        written += cast(DynamoReviewerRepository, ports.reviewers).bulk_load(reviewers[start:start + step])
        print(f"    loaded {min(start + step, len(reviewers)):>7,} / {len(reviewers):,} profiles", end="\r", flush=True)
    print(" " * 60, end="\r")
    return written


# ---------------------------------------------------------------------- measurements
def measure_draws(ports: ReviewerPorts, meter: Meter, tags: tuple[str, ...], draws: int, seats: int,
                  tag: str) -> dict[str, Any]:
    reads, requests, short = [], [], 0
    for n in range(draws):
        items0, req0 = meter.snapshot()
        drawn = draw_panel(DrawPanel(case_id=f"{tag}-{n}", seats=seats, tags=tags), ports, NOW, random.Random(n))
        items1, req1 = meter.snapshot()
        reads.append(items1 - items0)
        requests.append(req1 - req0)
        short += drawn.short_by
        print(f"    {tag:<8} draw {n + 1}/{draws}", end="\r", flush=True)
        for uid in drawn.reviewer_ids:
            release_seat(ReleaseSeat(f"{tag}-{n}", uid, SeatState.VOTED), ports.seats, NOW)
    return {"reads": statistics.median(reads), "max": max(reads), "requests": statistics.median(requests), "short": short}


def measure_scan(client: Any, meter: Meter, table: str, tags: tuple[str, ...]) -> tuple[int, int]:
    """The baseline: find eligible reviewers by scanning the whole table with a filter.

    Select=COUNT only spares moto serialising the matches: DynamoDB reads (and bills) every item anyway."""
    items0, req0 = meter.snapshot()
    condition = "#s = :active AND open_invitations < :cap AND sk = :profile"
    values = {":active": {"S": "active"}, ":cap": {"N": "3"}, ":profile": {"S": "PROFILE"}}
    if tags:
        condition += " AND contains(tags, :tag)"
        values[":tag"] = {"S": tags[0]}
    kwargs: dict[str, Any] = {}
    while True:
        page = client.scan(TableName=table, FilterExpression=condition, ExpressionAttributeNames={"#s": "status"},
                           ExpressionAttributeValues=values, Select="COUNT", **kwargs)
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    items1, req1 = meter.snapshot()
    return items1 - items0, req1 - req0


def run_size(size: int, draws: int, seats: int) -> list[dict[str, Any]]:
    with mock_aws(), item_level_transactions(), faster_queries():
        meter = Meter()
        client = boto3.client("dynamodb")
        client.meta.events.register("after-call.dynamodb", meter)
        table = create_table()
        ports = dynamo_ports(ReviewerTable(table, client), random.Random(size))
        started = time.perf_counter()
        written = load(ports, population(size, random.Random(size)))
        print(f"  {size:>7,} profiles: {written:,} items loaded in {time.perf_counter() - started:.1f} s")
        rows = []
        for name, tags in SCENARIOS.items():
            started = time.perf_counter()
            draw = measure_draws(ports, meter, tags, draws, seats, name)
            scan_items, scan_requests = measure_scan(client, meter, table, tags)
            print(f"    {name:<8} {draws} draws in {time.perf_counter() - started:.1f} s (moto wall time)")
            rows.append({"size": size, "draw": name, **draw, "scan_items": scan_items, "scan_requests": scan_requests})
        return rows


def print_table(rows: list[dict[str, Any]], seats: int) -> None:
    header = (f"{'profiles':>9} {'draw':<8} {'items/draw':>10} {'max':>5} {'req/draw':>8} {'short':>5} "
              f"{'scan items':>10} {'scan req':>8} {'scan/draw':>9}  goal <= {4 * seats} items")
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        ratio = r["scan_items"] / r["reads"] if r["reads"] else float("inf")
        print(f"{r['size']:>9,} {r['draw']:<8} {r['reads']:>10.1f} {r['max']:>5} {r['requests']:>8.1f} {r['short']:>5} "
              f"{r['scan_items']:>10,} {r['scan_requests']:>8} {ratio:>8.0f}x")
    print("\nitems/draw and req/draw are medians over the draws; `max` is the worst draw; `short` counts empty seats.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated pool sizes")
    parser.add_argument("--draws", type=int, default=30, help="draws per size and scenario")
    parser.add_argument("--seats", type=int, default=5, help="seats per draw")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Draw cost on moto: {args.draws} draws of {args.seats} seats per pool size and scenario")
    rows = [row for size in sizes for row in run_size(size, args.draws, args.seats)]
    print_table(rows, args.seats)


if __name__ == "__main__":
    main()
