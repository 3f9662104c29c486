"""Reviewers in DynamoDB: the reviewer item, its pool entries, and the profile walk."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from quorum_common.dynamo import ConditionFailed, Table, TransactionCancelled, decode_cursor, encode_cursor
from quorum_common.errors import InvalidInput
from quorum_reviewer.adapters.keys import PROFILE_SHARDS, entry_sk, profiles_pk, user_key
from quorum_reviewer.adapters.reviewer_items import entry_item, new_items, profile_update, reviewer_from_item
from quorum_reviewer.domain.errors import ConcurrentUpdate
from quorum_reviewer.domain.fatigue import stale_days
from quorum_reviewer.domain.model import Reviewer, Status
from quorum_reviewer.service.ports import Page

MAX_TRIM = 100


def _pool_tags(reviewer: Reviewer | None) -> set[str]:
    return set(reviewer.profile.tags) if reviewer and reviewer.status is Status.ACTIVE else set()


WALK_KEY = frozenset({"pk", "sk", "gsi1pk", "gsi1sk"})  # the table's key and gsi1's, in a LastEvaluatedKey


def walk_position(cursor: str | None) -> tuple[int, dict[str, Any] | None]:
    """The (shard, start key) of a walk cursor; a cursor we did not make is the caller's mistake."""
    if cursor is None:
        return 0, None
    data = decode_cursor(cursor)
    shard, key = (data.get("s"), data.get("k")) if isinstance(data, dict) else (None, None)
    if not isinstance(shard, int) or not 0 <= shard < PROFILE_SHARDS or not (key is None or _is_walk_key(key, shard)):
        raise InvalidInput("The cursor is not one this service returned.", code="invalid_cursor")
    return shard, key


def _is_walk_key(key: Any, shard: int) -> bool:
    """A start key of the profiles index in `shard`: exactly its four string attributes (a forged one was a 500)."""
    return (isinstance(key, dict) and set(key) == WALK_KEY and all(isinstance(v, str) and v for v in key.values())
            and key["gsi1pk"] == profiles_pk(shard))


class DynamoReviewerRepository:
    """`ReviewerRepository` on the reviewer table."""

    def __init__(self, table: Table, rng: random.Random | None = None):
        self.table = table
        self.rng = rng or random.SystemRandom()

    # ------------------------------------------------------------------ reads
    def get(self, user_id: str) -> Reviewer | None:
        item = self.table.get(user_key(user_id))
        return reviewer_from_item(item) if item else None

    def get_many(self, user_ids: Sequence[str]) -> dict[str, Reviewer]:
        return {item["user_id"]: reviewer_from_item(item) for item in self.table.batch_get([user_key(u) for u in user_ids])}

    def walk(self, cursor: str | None, limit: int) -> Page[Reviewer]:
        shard, start = walk_position(cursor)
        items, last = self.table.query_page("gsi1pk = :p", {":p": profiles_pk(shard)}, limit=limit, start=start,
                                            index="gsi1")
        reviewers = [reviewer_from_item(item) for item in items]
        if last:
            return Page(reviewers, encode_cursor({"s": shard, "k": last}))
        return Page(reviewers, encode_cursor({"s": shard + 1, "k": None}) if shard + 1 < PROFILE_SHARDS else None)

    # ------------------------------------------------------------------ writes
    def save(self, reviewer: Reviewer, previous: Reviewer | None) -> None:
        """One conditional update on `rev`; one transaction when pool entries change with it."""
        update = profile_update(reviewer, previous, self.rng)
        key, condition = user_key(reviewer.user_id), "attribute_not_exists(pk)" if previous is None else "rev = :old"
        entries = self._entry_ops(reviewer, previous)
        try:
            if entries:
                main = self.table.update_op(key, update.expression, update.values, update.names or None, condition)
                self.table.transact([main, *entries])
            else:
                self.table.update(key, update.expression, values=update.values, names=update.names or None,
                                  condition=condition)
        except ConditionFailed as exc:
            raise ConcurrentUpdate("The reviewer changed meanwhile.") from exc
        except TransactionCancelled as exc:
            if exc.failed(0):
                raise ConcurrentUpdate(f"Reviewer {reviewer.user_id} changed meanwhile.") from exc
            raise

    def _entry_ops(self, reviewer: Reviewer, previous: Reviewer | None) -> list[dict[str, Any]]:
        """Pool entries follow the reviewer: one per tag while active (rewritten when tags or region change)."""
        old, new = _pool_tags(previous), _pool_tags(reviewer)
        retagged = previous is not None and (previous.profile.tags, previous.profile.region) != (
        reviewer.profile.tags, reviewer.profile.region)
        to_put = (new - old) | (new & old if retagged else set())
        puts = [self.table.put_op(entry_item(reviewer, tag, self.rng.random())) for tag in sorted(to_put)]
        deletes = [self.table.delete_op(user_key(reviewer.user_id, entry_sk(tag))) for tag in sorted(old - new)]
        return puts + deletes

    def bulk_load(self, reviewers: Sequence[Reviewer]) -> int:
        """Write reviewers that are not stored yet, as whole items in batches (demo data, migrations,
        benchmarks): no conditions, so never for reviewers that may already exist. Returns items written."""
        return self.table.batch_write(puts=[item for r in reviewers for item in new_items(r, self.rng)])

    def tidy(self, reviewer: Reviewer, window: int, today: str) -> None:
        drop = min(max(0, len(reviewer.recent) - window), MAX_TRIM)
        days = stale_days(reviewer.fatigue.daily, today)
        removes = [f"recent[{i}]" for i in range(drop)] + [f"daily.#d{i}" for i in range(len(days))]
        if not removes:
            return
        try:  # appends only add at the end, so dropping the first `drop` is safe while size >= what we saw
            self.table.update(user_key(reviewer.user_id), "REMOVE " + ", ".join(removes), values={":n": len(reviewer.recent)},
                              names={f"#d{i}": d for i, d in enumerate(days)} or None, condition="size(recent) >= :n")
        except ConditionFailed:
            return
