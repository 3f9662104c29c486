"""Reviewers in DynamoDB: the reviewer item, its pool entries, and the profile walk."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from quorum_common.dynamo import ConditionFailed, Item, Table, TransactionCancelled, decode_cursor, encode_cursor
from quorum_common.errors import InvalidInput
from quorum_reviewer.adapters.keys import PROFILE_SHARDS, entry_sk, iso, profile_shard, profiles_pk, user_key
from quorum_reviewer.domain.draw import ACTIVE_POOL, tag_pool
from quorum_reviewer.domain.errors import ConcurrentUpdate
from quorum_reviewer.domain.fatigue import stale_days
from quorum_reviewer.domain.model import Fatigue, Profile, Reviewer, Stats, Status, StatusNote
from quorum_reviewer.service.ports import Page

COUNTERS = ("open_invitations", *Stats.model_fields)
MAX_TRIM = 100


def reviewer_from_item(item: Item) -> Reviewer:
    """A stored reviewer item as the domain model."""
    note = (StatusNote(reason=item["status_reason"], by=item["status_by"], at=item["status_at"])
            if "status_at" in item else None)
    profile = Profile(tags=tuple(item.get("tags", ())), last_active_at=item["last_active_at"],
                      registered_at=item["registered_at"], credit_score=item["credit_score"])
    return Reviewer(
        user_id=item["user_id"], profile=profile, status=item.get("status"), note=note,
        stats=Stats(**{k: item.get(k, 0) for k in Stats.model_fields}),
        fatigue=Fatigue(open_invitations=item.get("open_invitations", 0), daily=item.get("daily", {})),
        recent=tuple(item.get("recent", ())), rev=item.get("rev", 0),
    )


def _pool_tags(reviewer: Reviewer | None) -> set[str]:
    return set(reviewer.profile.tags) if reviewer and reviewer.status is Status.ACTIVE else set()


def walk_position(cursor: str | None) -> tuple[int, dict[str, Any] | None]:
    """The (shard, start key) of a walk cursor; a cursor we did not make is the caller's mistake."""
    if cursor is None:
        return 0, None
    data = decode_cursor(cursor)
    shard, key = (data.get("s"), data.get("k")) if isinstance(data, dict) else (None, None)
    if not isinstance(shard, int) or not 0 <= shard < PROFILE_SHARDS or not (key is None or isinstance(key, dict)):
        raise InvalidInput("The cursor is not one this service returned.", code="invalid_cursor")
    return shard, key


@dataclass
class _Update:
    """One UpdateItem of the reviewer item, as its parts."""

    sets: list[str]
    values: dict[str, Any]
    removes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def expression(self) -> str:
        return "SET " + ", ".join(self.sets) + (" REMOVE " + ", ".join(self.removes) if self.removes else "")


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
        update = self._main_update(reviewer, previous)
        key, condition = user_key(reviewer.user_id), "attribute_not_exists(pk)" if previous is None else "rev = :old"
        entries = self._entry_ops(reviewer, previous)
        try:
            if not entries:
                self.table.update(key, update.expression, values=update.values, names=update.names or None,
                                  condition=condition)
                return
            main = self.table.update_op(key, update.expression, update.values, update.names or None, condition)
            self.table.transact([main, *entries])
        except ConditionFailed as exc:
            raise ConcurrentUpdate("The reviewer changed meanwhile.") from exc
        except TransactionCancelled as exc:
            if exc.failed(0):
                raise ConcurrentUpdate(f"Reviewer {reviewer.user_id} changed meanwhile.") from exc
            raise

    def _main_update(self, reviewer: Reviewer, previous: Reviewer | None) -> _Update:
        p = reviewer.profile
        update = _Update(
            sets=["user_id = :uid", "tags = :tags", "last_active_at = :la", "registered_at = :ra", "credit_score = :cs",
                  "gsi1pk = :g1", "gsi1sk = :uid", "rev = :rev", "kind = :kind", "daily = if_not_exists(daily, :map)",
                  *(f"{c} = if_not_exists({c}, :zero)" for c in COUNTERS)],
            values={":uid": reviewer.user_id, ":tags": list(p.tags), ":la": iso(p.last_active_at),
                    ":ra": iso(p.registered_at), ":cs": p.credit_score, ":g1": profiles_pk(profile_shard(reviewer.user_id)),
                    ":rev": reviewer.rev + 1, ":kind": "reviewer", ":zero": 0, ":map": {}, ":list": []})
        reset = previous is not None and bool(previous.recent) and not reviewer.recent
        update.sets.append("recent = :list" if reset else "recent = if_not_exists(recent, :list)")
        if previous is not None:
            update.values[":old"] = previous.rev
        if reviewer.note and reviewer.status:
            n = reviewer.note
            update.values.update({":st": reviewer.status.value, ":sr": n.reason, ":sb": n.by, ":sa": iso(n.at)})
            update.sets += ["#status = :st", "status_reason = :sr", "status_by = :sb", "status_at = :sa"]
            update.names["#status"] = "status"
        self._pool_membership(update, reviewer, previous)
        return update

    def _pool_membership(self, update: _Update, reviewer: Reviewer, previous: Reviewer | None) -> None:
        """The reviewer item is in the active pool while active, with a fresh key when it (re)joins."""
        if reviewer.status is not Status.ACTIVE:
            update.removes.append("draw_pk")
            return
        update.values[":pool"] = ACTIVE_POOL
        update.sets.append("draw_pk = :pool")
        if previous is None or previous.status is not Status.ACTIVE:
            update.values[":key"] = self.rng.random()
            update.sets.append("draw_key = :key")

    def _entry_ops(self, reviewer: Reviewer, previous: Reviewer | None) -> list[dict[str, Any]]:
        """Pool entries follow the reviewer: one per tag while active, none otherwise."""
        old, new = _pool_tags(previous), _pool_tags(reviewer)
        retagged = previous is not None and previous.profile.tags != reviewer.profile.tags
        to_put = (new - old) | (new & old if retagged else set())
        puts = [self.table.put_op(self._entry(reviewer, tag)) for tag in sorted(to_put)]
        deletes = [self.table.delete_op(user_key(reviewer.user_id, entry_sk(tag))) for tag in sorted(old - new)]
        return puts + deletes

    def _entry(self, reviewer: Reviewer, tag: str) -> Item:
        return {**user_key(reviewer.user_id, entry_sk(tag)), "kind": "pool_entry", "user_id": reviewer.user_id,
                "tags": list(reviewer.profile.tags), "draw_pk": tag_pool(tag), "draw_key": self.rng.random()}

    def bulk_load(self, reviewers: Sequence[Reviewer]) -> int:
        """Write reviewers that are not stored yet, as whole items in batches (demo data, migrations,
        benchmarks): no conditions, so never for reviewers that may already exist. Returns items written."""
        return self.table.batch_write(puts=[item for r in reviewers for item in self._new_items(r)])

    def _new_items(self, r: Reviewer) -> list[Item]:
        """The items `save` would leave for a reviewer stored for the first time."""
        p, active = r.profile, r.status is Status.ACTIVE
        main: Item = {**user_key(r.user_id), "kind": "reviewer", "user_id": r.user_id, "tags": list(p.tags),
                      "last_active_at": iso(p.last_active_at), "registered_at": iso(p.registered_at),
                      "credit_score": p.credit_score, "gsi1pk": profiles_pk(profile_shard(r.user_id)),
                      "gsi1sk": r.user_id, "rev": r.rev + 1, "daily": dict(r.fatigue.daily), "recent": [o.value for o in r.recent],
                      "open_invitations": r.fatigue.open_invitations, **r.stats.model_dump()}
        if r.status and r.note:
            main.update(status=r.status.value, status_reason=r.note.reason, status_by=r.note.by, status_at=iso(r.note.at))
        if active:
            main.update(draw_pk=ACTIVE_POOL, draw_key=self.rng.random())
        return [main, *(self._entry(r, tag) for tag in (p.tags if active else ()))]

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
