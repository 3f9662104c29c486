"""A versioned save: write `values` and bump `version`, unless the compared fields are unchanged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quorum_common.dynamo import ConditionFailed, Item, Table


def save_versioned(table: Table, key: Mapping[str, str], values: Mapping[str, Any], compared: Sequence[str]) -> Item:
    """The item at `key` after the save; a save equal to it on `compared` writes nothing and keeps the version."""
    try:
        return table.update(
            key, "SET " + ", ".join(f"#{n} = :{n}" for n in values) + " ADD #version :one",
            values={**{f":{n}": v for n, v in values.items()}, ":one": 1},
            names={f"#{n}": n for n in (*values, "version")},
            condition="attribute_not_exists(pk) OR " + " OR ".join(f"#{n} <> :{n}" for n in compared), returns="ALL_NEW")
    except ConditionFailed as same:  # identical to what is stored: nothing to write
        return same.old or {}
