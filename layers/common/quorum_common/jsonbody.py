"""What every JSON body must be before a route reads it: shallow, without duplicate keys, without
control characters. A body that breaks one of these rules is the caller's mistake (422), never a
500 from the parser's recursion limit, and never a value silently chosen between two keys.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from quorum_common.errors import InvalidInput

MAX_DEPTH = 32  # no Quorum request nests more than 4 deep; 32 leaves room and stays far from recursion limits
ALLOWED_CONTROLS = frozenset("\t\n\r")


class BodyRefused(InvalidInput):
    """The body breaks a rule (422): `code` and a sentence for the caller, the field being the body."""

    def __init__(self, code: str, message: str):
        super().__init__(message, code=code, details=[{"field": "body", "message": message}])


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects, read without recursion (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise BodyRefused("duplicate_key", "A JSON object in the body names the same key twice.")
    return dict(pairs)


def _has_control(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any((ch < " " or ch == "\x7f") and ch not in ALLOWED_CONTROLS for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def media_type(event: Mapping[str, Any]) -> str:
    """The media type the event's body is declared as, lower case and without parameters ('' if undeclared)."""
    content_type = {k.lower(): v for k, v in (event.get("headers") or {}).items()}.get("content-type", "")
    return str(content_type).split(";")[0].strip().lower()


def declared_not_json(event: Mapping[str, Any]) -> bool:
    """A body sent as something other than JSON (form, multipart, text, XML ...); undeclared counts as JSON."""
    media = media_type(event)
    return bool(event.get("body")) and bool(media) and "json" not in media


def body_text(event: Mapping[str, Any]) -> str | None:
    """The event's JSON body as text (decoded when API Gateway base64-encoded it); None if there is none.
    A body declared as something else is answered 415 before this is read (`http.refusals`)."""
    body = event.get("body")
    if not body:
        return None
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None  # not text: the route's own content checks answer
    return str(body)


def check_body(text: str) -> None:
    """Raise `BodyRefused` when the JSON text breaks a rule; text that is not JSON is left to the route (400)."""
    if _depth(text) > MAX_DEPTH:
        raise BodyRefused("body_too_deep", f"The body nests arrays or objects more than {MAX_DEPTH} deep.")
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError):
        return  # malformed JSON: Powertools answers 400 malformed_json
    if _has_control(value):
        raise BodyRefused("control_character", "The body's text holds a NUL or another control character.")
