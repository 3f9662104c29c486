"""A folded view of a text for matching, and the way back to the text as written.

Rules match on the folded view (NFKC, one dash, ASCII digits, no zero-width characters), so
`１３８－００１３` and `一三八-零零一三` read as `138-0013`; the placeholders are then put into the
original text, which keeps every character that nothing masked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Digits as they are read out: 幺 is how "one" is said in a phone number.
CHINESE_DIGITS = dict(zip("〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖", "001234567891123456789", strict=True))
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63")
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
BLANK = "\x00"  # what a span already decided looks like to the rules that come after it


@dataclass(frozen=True)
class Span:
    """A decided stretch of the folded view: masked with `label`, or kept as written (None)."""

    start: int
    end: int
    label: str | None


@dataclass(frozen=True)
class Folded:
    """The folded view and, for each of its characters, the index of the original one it came from."""

    view: str
    origin: tuple[int, ...]


def fold_char(ch: str) -> str:
    """One character as the rules read it."""
    if ch in INVISIBLE:
        return ""
    if ch in DASHES:
        return "-"
    if ch in CHINESE_DIGITS:
        return CHINESE_DIGITS[ch]
    digit = unicodedata.decimal(ch, None)
    return str(digit) if digit is not None else unicodedata.normalize("NFKC", ch)


def fold(text: str) -> Folded:
    """`text` folded character by character, with the way back to each original character."""
    view: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = fold_char(ch)
        view.append(folded)
        origin.extend([index] * len(folded))
    return Folded("".join(view), tuple(origin))


def blank(view: str, span: Span) -> str:
    """`view` with `span` hidden from the rules that come after it."""
    return view[:span.start] + BLANK * (span.end - span.start) + view[span.end:]


def restore(text: str, folded: Folded, spans: Iterable[Span]) -> str:
    """`text` as written, with each masked span of the folded view replaced by its label."""
    parts: list[str] = []
    cursor = 0
    for span in sorted((s for s in spans if s.label), key=lambda s: s.start):
        start, end = folded.origin[span.start], folded.origin[span.end - 1] + 1
        if start >= cursor:
            parts += [text[cursor:start], span.label or ""]
            cursor = end
        else:
            cursor = max(cursor, end)
    return "".join(parts) + text[cursor:]
