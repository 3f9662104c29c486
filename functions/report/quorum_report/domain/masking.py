"""Masking of reported text before reviewers see it (ARCHITECTURE.md §4).

Reviewers judge the content, not the people: emails, phone numbers, links, messaging handles
(WeChat, QQ, Telegram, WhatsApp, Line, @handles) and the ids of the reporters and the owner are
replaced by placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
LINK = re.compile(r"(?i)\b(?:https?://|www\.|t\.me/|wa\.me/|line\.me/|weixin://|qm\.qq\.com/)\S+")
HANDLE = re.compile(
    r"(?i)(?:wechat|weixin|wx|vx|v信|微信|微信号|qq号?|扣扣|telegram|tg|电报|whatsapp|line|kakao|signal)"
    r"\s*(?:id|号|账号)?\s*[:：=]?\s*[A-Za-z0-9_.+-]{3,}")
# Boundaries are ASCII on purpose: in Python, CJK characters count as \w, and 电话13812345678 must mask.
AT_HANDLE = re.compile(r"(?<![A-Za-z0-9_@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,}")
PHONE = re.compile(r"(?<![A-Za-z0-9])\+?\d(?:[\d\s().-]{5,}\d)(?![A-Za-z0-9])")
MIN_PHONE_DIGITS = 7


def _mask_phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return "[phone]" if digits >= MIN_PHONE_DIGITS else match.group(0)


def _mask_ids(text: str, ids: Iterable[str]) -> str:
    for person in sorted({i for i in ids if i and len(i) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(person), "[user]", text, flags=re.IGNORECASE)
    return text


def mask_text(text: str | None, people: Iterable[str] = ()) -> str | None:
    """`text` with contact details and the given people's ids replaced by placeholders."""
    if not text:
        return text
    text = EMAIL.sub("[email]", text)
    text = LINK.sub("[link]", text)
    text = HANDLE.sub("[handle]", text)
    text = AT_HANDLE.sub("[handle]", text)
    text = PHONE.sub(_mask_phone, text)
    return _mask_ids(text, people)
