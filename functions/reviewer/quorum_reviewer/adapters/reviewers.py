"""Reviewers in DynamoDB: the reviewer item, its pool entries, and the profile walk."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Sequence
from typing import Any

from quorum_common.errors import InvalidInput
from quorum_reviewer.adapters.dynamo import (
    PROFILE_SHARDS,
    DynamoTable,
    Item,
    cancellation_codes,
    entry_sk,
    error_code,
    iso,
    profile_shard,
    profiles_pk,
    user_key,
)
from quorum_reviewer.domain.draw import ACTIVE_POOL, tag_pool
from quorum_reviewer.domain.errors import ConcurrentUpdate
from quorum_reviewer.domain.fatigue import stale_days
from quorum_reviewer.domain.model import Fatigue, Profile, Reviewer, Stats, Status, StatusNote
from quorum_reviewer.service.ports import Page

COUNTERS = ("open_invitations", "invited", "voted", "no_shows", "agreed")
MAX_TRIM = 100


def reviewer_from_item(item: Item) -> Reviewer:
    """A stored reviewer item as the domain model."""
    note = (StatusNote(reason=item["status_reason"], by=item["status_by"], at=item["status_at"])
            if "status_at" in item else None)
    profile = Profile(tags=tuple(item.get("tags", ())), last_active_at=item["last_active_at"],
                      registered_at=item["registered_at"], credit_score=item["credit_score"])
    return Reviewer(
        user_id=item["user_id"], profile=profile, status=item.get("status"), note=note,
        stats=Stats(**{k: item.get(k, 0) for k in ("invited", "voted", "no_shows", "agreed")}),
        fatigue=Fatigue(open_invitations=item.get("open_invitations", 0), daily=item.get("daily", {})),
        recent=tuple(item.get("recent", ())), rev=item.get("rev", 0),
    )


def _pool_tags(reviewer: Reviewer | None) -> set[str]:
    return set(reviewer.profile.tags) if reviewer and reviewer.status is Status.ACTIVE else set()


def encode_cursor(shard: int, key: dict[str, Any] | None) -> str:
    return base64.urlsafe_b64encode(json.dumps({"s": shard, "k": key}).encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[int, dict[str, Any] | None]:
    """The (shard, start key) of a walk cursor; a cursor we did not make is the caller's mistake."""
    if cursor is None:
        return 0, None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        shard, key = int(data["s"]), data["k"]
        if not 0 <= shard < PROFILE_SHARDS or not (key is None or isinstance(key, dict)):
            raise ValueError(cursor)
        return shard, key
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("The cursor is not one this service returned.", code="invalid_cursor") from exc


class DynamoReviewerRepository:
    """`ReviewerRepository` on the reviewer table."""

    def __init__(self, table: DynamoTable, rng: random.Random | None = None):
        self.table = table
        self.rng = rng or random.SystemRandom()

    # ------------------------------------------------------------------ reads
    def get(self, user_id: str) -> Reviewer | None:
        raw = self.table.call("get_item", TableName=self.table.name, Key=self.table.marshal(user_key(user_id)),
                              ConsistentRead=True).get("Item")
        return reviewer_from_item(self.table.unmarshal(raw)) if raw else None

    def get_many(self, user_ids: Sequence[str]) -> dict[str, Reviewer]:
        found: dict[str, Reviewer] = {}
        for start in range(0, len(user_ids), 100):
            for item in self._batch_get([user_key(uid) for uid in user_ids[start:start + 100]]):
                found[item["user_id"]] = reviewer_from_item(item)
        return found

    def _batch_get(self, keys: list[Item]) -> list[Item]:
        request = {self.table.name: {"Keys": [self.table.marshal(k) for k in keys]}}
        items: list[Item] = []
        while request:
            response = self.table.call("batch_get_item", RequestItems=request)
            items += [self.table.unmarshal(raw) for raw in response["Responses"].get(self.table.name, [])]
            request = response.get("UnprocessedKeys") or {}
        return items

    def walk(self, cursor: str | None, limit: int) -> Page[Reviewer]:
        shard, start = decode_cursor(cursor)
        kwargs: dict[str, Any] = {"ExclusiveStartKey": self.table.marshal(start)} if start else {}
        response = self.table.call(
            "query", TableName=self.table.name, IndexName="gsi1", Limit=limit,
            KeyConditionExpression="gsi1pk = :p", ExpressionAttributeValues=self.table.values(p=profiles_pk(shard)),
            **kwargs)
        items = [reviewer_from_item(self.table.unmarshal(raw)) for raw in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        if last:
            return Page(items, encode_cursor(shard, self.table.unmarshal(last)))
        return Page(items, encode_cursor(shard + 1, None) if shard + 1 < PROFILE_SHARDS else None)

    # ------------------------------------------------------------------ writes
    def save(self, reviewer: Reviewer, previous: Reviewer | None) -> None:
        ops = [{"Update": self._main_update(reviewer, previous)}, *self._entry_ops(reviewer, previous)]
        if len(ops) == 1:
            return self._update_main(ops[0]["Update"])
        try:
            self.table.call("transact_write_items", TransactItems=ops)
        except self.table.client.exceptions.TransactionCanceledException as exc:
            if cancellation_codes(exc)[:1] == ["ConditionalCheckFailed"]:
                raise ConcurrentUpdate(f"Reviewer {reviewer.user_id} changed meanwhile.") from exc
            raise

    def _update_main(self, update: dict[str, Any]) -> None:
        try:
            self.table.call("update_item", **update)
        except self.table.client.exceptions.ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise ConcurrentUpdate("The reviewer changed meanwhile.") from exc
            raise

    def _main_update(self, reviewer: Reviewer, previous: Reviewer | None) -> dict[str, Any]:
        p = reviewer.profile
        values = dict(uid=reviewer.user_id, tags=list(p.tags), la=iso(p.last_active_at), ra=iso(p.registered_at),
                      cs=p.credit_score, g1=profiles_pk(profile_shard(reviewer.user_id)), rev=reviewer.rev + 1,
                      kind="reviewer", zero=0, map={}, list=[])
        sets = ["user_id = :uid", "tags = :tags", "last_active_at = :la", "registered_at = :ra",
                "credit_score = :cs", "gsi1pk = :g1", "gsi1sk = :uid", "rev = :rev", "kind = :kind",
                "daily = if_not_exists(daily, :map)", *(f"{c} = if_not_exists({c}, :zero)" for c in COUNTERS)]
        reset = previous is not None and bool(previous.recent) and not reviewer.recent
        sets.append("recent = :list" if reset else "recent = if_not_exists(recent, :list)")
        removes: list[str] = []
        if reviewer.note and reviewer.status:
            n = reviewer.note
            values.update(st=reviewer.status.value, sr=n.reason, sb=n.by, sa=iso(n.at))
            sets += ["#status = :st", "status_reason = :sr", "status_by = :sb", "status_at = :sa"]
        if reviewer.status is Status.ACTIVE:
            values["pool"] = ACTIVE_POOL
            sets.append("draw_pk = :pool")
            if previous is None or previous.status is not Status.ACTIVE:
                values["key"] = self.rng.random()
                sets.append("draw_key = :key")
        else:
            removes.append("draw_pk")
        if previous is None:
            condition = "attribute_not_exists(pk)"
        else:
            condition, values["old"] = "rev = :old", previous.rev
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        return {"TableName": self.table.name, "Key": self.table.marshal(user_key(reviewer.user_id)),
                "UpdateExpression": expression, "ConditionExpression": condition,
                "ExpressionAttributeValues": self.table.values(**values),
                **({"ExpressionAttributeNames": {"#status": "status"}} if "#status = :st" in sets else {})}

    def _entry_ops(self, reviewer: Reviewer, previous: Reviewer | None) -> list[dict[str, Any]]:
        """Pool entries follow the reviewer: one per tag while active, none otherwise."""
        old, new = _pool_tags(previous), _pool_tags(reviewer)
        retagged = previous is not None and previous.profile.tags != reviewer.profile.tags
        to_put = (new - old) | (new & old if retagged else set())
        puts = [{"Put": {"TableName": self.table.name, "Item": self.table.marshal(self._entry(reviewer, tag))}}
                for tag in sorted(to_put)]
        deletes = [{"Delete": {"TableName": self.table.name, "Key": self.table.marshal(user_key(reviewer.user_id, entry_sk(tag)))}}
                   for tag in sorted(old - new)]
        return puts + deletes

    def _entry(self, reviewer: Reviewer, tag: str) -> Item:
        return {**user_key(reviewer.user_id, entry_sk(tag)), "kind": "pool_entry", "user_id": reviewer.user_id,
                "tags": list(reviewer.profile.tags), "draw_pk": tag_pool(tag), "draw_key": self.rng.random()}

    def bulk_load(self, reviewers: Sequence[Reviewer]) -> int:
        """Write reviewers that are not stored yet, as whole items in batches (demo data, migrations,
        benchmarks): no conditions, so never for reviewers that may already exist. Returns items written."""
        items = [item for r in reviewers for item in self._new_items(r)]
        for start in range(0, len(items), 25):
            request = {self.table.name: [{"PutRequest": {"Item": self.table.marshal(i)}} for i in items[start:start + 25]]}
            while request:
                request = self.table.call("batch_write_item", RequestItems=request).get("UnprocessedItems") or {}
        return len(items)

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
        names = {"ExpressionAttributeNames": {f"#d{i}": d for i, d in enumerate(days)}} if days else {}
        try:  # appends only add at the end, so dropping the first `drop` is safe while size >= what we saw
            self.table.call("update_item", TableName=self.table.name, Key=self.table.marshal(user_key(reviewer.user_id)),
                            UpdateExpression="REMOVE " + ", ".join(removes), ConditionExpression="size(recent) >= :n",
                            ExpressionAttributeValues=self.table.values(n=len(reviewer.recent)), **names)
        except self.table.client.exceptions.ConditionalCheckFailedException:
            return

