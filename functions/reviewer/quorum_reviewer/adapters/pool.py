"""The `draw` GSI as a `DrawIndex`: a key-range Query from a random start, never a Scan."""

from __future__ import annotations

from typing import Any

from quorum_common.dynamo import Item, Table
from quorum_reviewer.adapters.keys import PROFILE_SK
from quorum_reviewer.domain.draw import Candidate
from quorum_reviewer.service.ports import Page

PROJECTION = "pk, sk, user_id, draw_pk, draw_key, tags, #region, open_invitations, daily.#today"


def candidate_from_item(item: Item, today: str) -> Candidate:
    """An index entry as a candidate; only reviewer items (not tag entries) carry fatigue hints."""
    main = item["sk"] == PROFILE_SK
    return Candidate(
        user_id=item["user_id"], entry=item["sk"], draw_key=float(item["draw_key"]), tags=frozenset(item.get("tags", ())),
        region=item.get("region"),
        open_invitations=item.get("open_invitations", 0) if main else None,
        assigned_today=item.get("daily", {}).get(today, 0) if main else None,
    )


class DynamoDrawIndex:
    """`DrawIndex` on the reviewer table's `draw` GSI (draw_pk = pool, draw_key = uniform random in [0, 1))."""

    def __init__(self, table: Table):
        self.table = table

    def page(self, pool: str, lower: float, upper: float | None, limit: int, cursor: Any,
             today: str) -> Page[Candidate]:
        condition, values = _key_condition(pool, lower, upper)
        items, last = self.table.query_page(condition, values, limit=limit, start=cursor, index="draw",
                                            names={"#today": today, "#region": "region"}, ProjectionExpression=PROJECTION)
        return Page([candidate_from_item(item, today) for item in items], last)


def _key_condition(pool: str, lower: float, upper: float | None) -> tuple[str, dict[str, Any]]:
    if upper is None:
        return "draw_pk = :p AND draw_key >= :lo", {":p": pool, ":lo": lower}
    return "draw_pk = :p AND draw_key < :hi", {":p": pool, ":hi": upper}
