"""DynamoDB attribute values to and from plain Python values (the few types the reward table holds)."""

from __future__ import annotations

from typing import Any

KEY_ATTRIBUTES = frozenset({"pk", "sk", "gsi1pk", "gsi1sk"})


def av(value: Any) -> dict[str, Any]:
    """A Python value as a DynamoDB attribute value (str, int, bool, None only)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    return {"S": str(value)}


def item(**attrs: Any) -> dict[str, Any]:
    """An item from keyword attributes; None values are left out."""
    return {name: av(value) for name, value in attrs.items() if value is not None}


def plain(raw: dict[str, Any]) -> dict[str, Any]:
    """An item read back: numbers as int, strings as str."""
    return {name: _plain(value) for name, value in raw.items()}


def fields(raw: dict[str, Any]) -> dict[str, Any]:
    """A stored item without its key attributes: what a model is built from."""
    return {name: value for name, value in raw.items() if name not in KEY_ATTRIBUTES}


def _plain(value: dict[str, Any]) -> Any:
    kind, inner = next(iter(value.items()))
    return int(inner) if kind == "N" else None if kind == "NULL" else inner
