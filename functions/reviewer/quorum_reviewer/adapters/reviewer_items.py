"""What the reviewer item and its pool entries hold: the stored shape of a `Reviewer`.

Profile and status writes set only their own attributes; the counters are created at zero and
only ever changed with `ADD` (seats and outcomes), so the two kinds of write never overwrite each other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from quorum_common.dynamo import Item
from quorum_reviewer.adapters.keys import entry_sk, iso, profile_shard, profiles_pk, user_key
from quorum_reviewer.domain.draw import ACTIVE_POOL, tag_pool
from quorum_reviewer.domain.model import Fatigue, Profile, Reviewer, Stats, Status, StatusNote

COUNTERS = ("open_invitations", *Stats.model_fields)


def reviewer_from_item(item: Item) -> Reviewer:
    """A stored reviewer item as the domain model."""
    note = (StatusNote(reason=item["status_reason"], by=item["status_by"], at=item["status_at"])
            if "status_at" in item else None)
    profile = Profile(tags=tuple(item.get("tags", ())), last_active_at=item["last_active_at"],
                      registered_at=item["registered_at"], credit_score=item["credit_score"],
                      region=item.get("region"))
    return Reviewer(
        user_id=item["user_id"], profile=profile, status=item.get("status"), note=note,
        stats=Stats(**{k: item.get(k, 0) for k in Stats.model_fields}),
        fatigue=Fatigue(open_invitations=item.get("open_invitations", 0), daily=item.get("daily", {})),
        recent=tuple(item.get("recent", ())), rev=item.get("rev", 0),
    )


def entry_item(reviewer: Reviewer, tag: str, key: float) -> Item:
    """The reviewer's entry in one tag's pool (a copy of its tags and region, no counters)."""
    item = {**user_key(reviewer.user_id, entry_sk(tag)), "kind": "pool_entry", "user_id": reviewer.user_id,
            "tags": list(reviewer.profile.tags), "draw_pk": tag_pool(tag), "draw_key": key}
    return {**item, "region": reviewer.profile.region} if reviewer.profile.region else item


def new_items(r: Reviewer, rng: random.Random) -> list[Item]:
    """The items a first `save` leaves for a reviewer, as whole items (for batch loads)."""
    p, active = r.profile, r.status is Status.ACTIVE
    main: Item = {**user_key(r.user_id), "kind": "reviewer", "user_id": r.user_id, "tags": list(p.tags),
                  "last_active_at": iso(p.last_active_at), "registered_at": iso(p.registered_at),
                  "credit_score": p.credit_score, "gsi1pk": profiles_pk(profile_shard(r.user_id)),
                  "gsi1sk": r.user_id, "rev": r.rev + 1, "daily": dict(r.fatigue.daily), "recent": [o.value for o in r.recent],
                  "open_invitations": r.fatigue.open_invitations, **r.stats.model_dump()}
    if p.region:
        main["region"] = p.region
    if r.status and r.note:
        main.update(status=r.status.value, status_reason=r.note.reason, status_by=r.note.by, status_at=iso(r.note.at))
    if active:
        main.update(draw_pk=ACTIVE_POOL, draw_key=rng.random())
    return [main, *(entry_item(r, tag, rng.random()) for tag in (p.tags if active else ()))]


@dataclass
class Update:
    """One UpdateItem of the reviewer item, as its parts."""

    sets: list[str]
    values: dict[str, Any]
    removes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def expression(self) -> str:
        return "SET " + ", ".join(self.sets) + (" REMOVE " + ", ".join(self.removes) if self.removes else "")


def profile_update(reviewer: Reviewer, previous: Reviewer | None, rng: random.Random) -> Update:
    """Profile, status and pool membership of the reviewer item; counters only start at zero."""
    p = reviewer.profile
    update = Update(
        sets=["user_id = :uid", "tags = :tags", "last_active_at = :la", "registered_at = :ra", "credit_score = :cs",
              "gsi1pk = :g1", "gsi1sk = :uid", "rev = :rev", "kind = :kind", "daily = if_not_exists(daily, :map)",
              *(f"{c} = if_not_exists({c}, :zero)" for c in COUNTERS)],
        values={":uid": reviewer.user_id, ":tags": list(p.tags), ":la": iso(p.last_active_at),
                ":ra": iso(p.registered_at), ":cs": p.credit_score, ":g1": profiles_pk(profile_shard(reviewer.user_id)),
                ":rev": reviewer.rev + 1, ":kind": "reviewer", ":zero": 0, ":map": {}, ":list": []})
    _region(update, p)
    reset = previous is not None and bool(previous.recent) and not reviewer.recent
    update.sets.append("recent = :list" if reset else "recent = if_not_exists(recent, :list)")
    if previous is not None:
        update.values[":old"] = previous.rev
    if reviewer.note and reviewer.status:
        n = reviewer.note
        update.values.update({":st": reviewer.status.value, ":sr": n.reason, ":sb": n.by, ":sa": iso(n.at)})
        update.sets += ["#status = :st", "status_reason = :sr", "status_by = :sb", "status_at = :sa"]
        update.names["#status"] = "status"
    _pool_membership(update, reviewer, previous, rng)
    return update


def _region(update: Update, p: Profile) -> None:
    """The region is on the reviewer item (and its entries) only when the profile has one."""
    update.names["#region"] = "region"
    if p.region is None:
        update.removes.append("#region")
    else:
        update.values[":region"] = p.region
        update.sets.append("#region = :region")


def _pool_membership(update: Update, reviewer: Reviewer, previous: Reviewer | None, rng: random.Random) -> None:
    """The reviewer item is in the active pool while active, with a fresh key when it (re)joins."""
    if reviewer.status is not Status.ACTIVE:
        update.removes.append("draw_pk")
        return
    update.values[":pool"] = ACTIVE_POOL
    update.sets.append("draw_pk = :pool")
    if previous is None or previous.status is not Status.ACTIVE:
        update.values[":key"] = rng.random()
        update.sets.append("draw_key = :key")
