"""Masking of reported text before reviewers see it (ARCHITECTURE.md §4; docs/voting.md, "Masking").

Reviewers judge the content, not the people. Replaced, in this order:

- e-mails (any subdomains, a full-width ＠) by `[email]`; links and bare domains (`evil-shop.cn`,
  `pay.example.com`: a closed list of common top-level domains, so `photo.jpg` stays) by `[link]`;
- the reporters' and the owner's ids by `[user]`, as whole tokens: `o-1` masks `o-1`, not `o-10`;
- Chinese ID-card numbers (18 characters whose last one is the checksum) by `[id]`;
- street addresses (北京市朝阳区建国路88号, 123 Main Street) by `[address]`;
- phone numbers by `[phone]`: digits in any width or script (１３８, 一三八, 幺三八) split by spaces,
  dashes, dots, slashes or brackets, with or without +86. A run of digits is a phone when it holds
  a mainland mobile number (11 digits starting 1[3-9]) anywhere, or has 7+ digits grouped as
  phones are (no group after the first shorter than 3 digits: `36 37 38 39 40` is a size list);
- messaging handles after WeChat/微信/wx/vx/QQ/Telegram/WhatsApp (and Line/Kakao/Signal/… with
  "ID") and `@handles` by `[handle]`.

Kept as written, because reviewers need them to judge a listing: dates (2023-01-15, 2023/01/15,
15.01.2023), times, prices (¥1,380.00, $12.50, 1,380元) and order numbers. An order number is the
token right after an order word (订单号, 单号, order, order no., tracking number, invoice …); without
that word a long number reads as a phone. Neither a price nor an order word shelters a mainland
mobile number: `订单号 13800138000` still masks.

Rules read a folded copy of the text (NFKC, one kind of dash, ASCII digits, no zero-width
characters); the placeholders go into the original, which keeps every character nothing masked.
"""

from __future__ import annotations

from collections.abc import Iterable

from quorum_report.domain.masking.folding import Span, blank, fold, restore
from quorum_report.domain.masking.rules import rules_for

__all__ = ["mask_text"]


def mask_text(text: str | None, people: Iterable[str] = ()) -> str | None:
    """`text` with contact details and the given people's ids replaced by placeholders."""
    if not text:
        return text
    folded = fold(text)
    view, decided = folded.view, list[Span]()
    for rule in rules_for(people):
        for span in rule.find(view):
            decided.append(span)
            view = blank(view, span)
    return restore(text, folded, decided)
