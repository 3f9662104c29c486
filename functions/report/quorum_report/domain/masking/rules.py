"""The rules of masking, in the order they run: what each one finds and what it puts in its place.

Every rule reads the folded view (see `folding`). Boundaries are ASCII on purpose: in Python, CJK
characters count as `\\w`, and 电话13812345678 must mask.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from quorum_report.domain.masking.folding import Span, fold


def _always(_: re.Match[str]) -> bool:
    return True


@dataclass(frozen=True)
class Rule:
    """A pattern, the label that replaces what it finds (None: kept as written), and a last check."""

    pattern: re.Pattern[str]
    label: str | None
    accept: Callable[[re.Match[str]], bool] = _always

    def find(self, view: str) -> list[Span]:
        """The spans of `view` this rule decides."""
        return [Span(m.start(), m.end(), self.label) for m in self.pattern.finditer(view) if self.accept(m)]


# A mainland mobile number: 11 digits starting 1[3-9], optionally after the country code.
MOBILE = re.compile(r"1[3-9]\d{9}")
MOBILE_EXACTLY = re.compile(r"(?:0{0,2}86)?1[3-9]\d{9}")
MIN_PHONE_DIGITS = 7
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

URL_TAIL = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*[A-Za-z0-9/#=&_%~+-]"
TLDS = ("com net org edu gov info biz cn hk tw mo jp kr sg my th vn ph uk us ca au nz de fr es it nl ru br eu "
        "io co me cc tv ai ws la ly gl xyz top shop store online site app vip club link live pro asia").split()
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
LINK = re.compile(r"(?i)(?<![A-Za-z0-9])(?:https?://|www\.|t\.me/|wa\.me/|line\.me/|weixin://|qm\.qq\.com/)" + URL_TAIL)
DOMAIN = re.compile(r"(?i)(?<![A-Za-z0-9@._-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                    rf"(?:{'|'.join(sorted(TLDS, key=len, reverse=True))})(?![A-Za-z0-9-])(?:[:/]{URL_TAIL})?")
ID_CARD = re.compile(r"(?<![0-9])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")

_NAME = r"(?:(?![在住于是的我你他她到从址])[\u4e00-\u9fff])"  # not the words that lead up to an address
ADDRESS_ZH = re.compile(rf"(?:{_NAME}{{2,6}}(?:省|自治区|市))*(?:{_NAME}{{1,6}}(?:区|县|镇|乡))*"
                        rf"{_NAME}{{1,8}}(?:路|街|大道|大街|巷|弄|胡同)\s*\d+(?:-\d+)?\s*号"
                        r"(?:\s*\d+\s*(?:号楼|栋|幢|单元|室|楼|层))*")
ADDRESS_EN = re.compile(r"(?<![A-Za-z0-9])\d{1,5}\s+(?:[A-Z][A-Za-z]*\.?\s+){1,3}"
                        r"(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl)"
                        r"(?![A-Za-z])\.?")

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
DATE_YMD = re.compile(rf"(?<!\d)(?:19|20)\d{{2}}(?P<sep>[-/.])(?:0?[1-9]|1[0-2])(?P=sep){_DAY}(?!\d)")
DATE_DMY = re.compile(rf"(?<!\d){_DAY}(?P<sep>[-/.]){_DAY}(?P=sep)(?:19|20)\d{{2}}(?!\d)")
TIME = re.compile(r"(?i)(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?[ap]\.?m\.?)?(?![\d:])")
_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
PRICE = re.compile(rf"(?i)(?:[¥$€£₩]|(?<![A-Za-z])(?:hk\$|us\$|rmb|cny|usd))\s?{_AMOUNT}"
                   rf"|(?<!\d){_AMOUNT}\s?(?:元|块|圆|(?:yuan|rmb|cny|usd|dollars?|euros?)(?![A-Za-z]))")
ORDER = re.compile(r"(?i)(?:订单编号|订单号|订单|运单号|快递单号|单号|(?<![A-Za-z])(?:order|tracking|invoice)(?:\s*(?:no\.?|number|id))?)"
                   r"\s*[:#]?\s*#?(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,}")

PHONE = re.compile(r"(?<![0-9])(?:\+\s?)?\(?\d(?:[ ./()_*-]{0,3}\d)+")

_VALUE = r"(?P<value>[A-Za-z0-9_][A-Za-z0-9_.+-]+[A-Za-z0-9_])"
_MARKER = r"(?P<marker>\s*(?:id|号|账号|帐号))?"
_ANY_MARKER = r"(?:\s*(?:id|号|账号|帐号))?"
HANDLE = re.compile(rf"(?i)(?:(?<![A-Za-z])(?:wechat|weixin|wei\s?xin|wx|vx|qq|telegram|whatsapp){_MARKER}(?![A-Za-z])"
                    rf"|(?P<cjk>v信|微\s*信|薇\s*信|扣\s*扣|电报){_ANY_MARKER})\s*(?P<sep>[:=-]|是)?\s*{_VALUE}")
# Words that also mean something else ("bottom line: …") count only with an explicit "ID".
HANDLE_BY_ID = re.compile(rf"(?i)(?<![A-Za-z])(?:(?:line|kakao(?:talk)?|signal|skype|discord)\s*id\s*[:=-]?|tg\s*[:=])\s*{_VALUE}")
AT_HANDLE = re.compile(r"(?<![A-Za-z0-9_@.])@[A-Za-z0-9_][A-Za-z0-9_.]*[A-Za-z0-9_]")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def is_id_card(match: re.Match[str]) -> bool:
    """An 18-character Chinese ID number whose last character is its checksum."""
    number = match.group(0).upper()
    return ID_CHECK[sum(int(d) * w for d, w in zip(number, ID_WEIGHTS, strict=False)) % 11] == number[-1]


def is_not_mobile(match: re.Match[str]) -> bool:
    """A shape we keep (a price, an order number) never shelters a mobile number."""
    return not MOBILE_EXACTLY.fullmatch(_digits(match.group(0)))


def is_whole_date(match: re.Match[str]) -> bool:
    """A date, not a stretch of a longer number split by the same separator (1991-12-31-234)."""
    view, sep, start, end = match.string, match.group("sep"), match.start(), match.end()
    before = view[max(start - 2, 0):start]
    after = view[end:end + 2]
    return not (len(before) == 2 and before[1] == sep and before[0].isdigit()) and \
        not (len(after) == 2 and after[0] == sep and after[1].isdigit())


def is_phone(match: re.Match[str]) -> bool:
    """A run of digits a reader could dial: a mobile number anywhere in it, or 7+ digits grouped as phones are."""
    run, digits = match.group(0), _digits(match.group(0))
    if MOBILE.search(digits):
        return True
    glued = match.start() > 0 and match.string[match.start() - 1].isascii() and match.string[match.start() - 1].isalpha()
    if glued or len(digits) < MIN_PHONE_DIGITS:
        return False  # a code such as SKU1234567, or too short to dial
    groups = re.findall(r"\d+", run)
    return run.startswith(("+", "(")) or all(len(group) >= 3 for group in groups[1:])


def is_handle(match: re.Match[str]) -> bool:
    """A handle after an app's name: any value after 微信 or "ID:", one with a digit or _ after a bare English name."""
    if match.group("cjk") or match.group("marker") or match.group("sep"):
        return True
    return any(ch.isdigit() or ch == "_" for ch in match.group("value"))


def _person_rule(people: Iterable[str]) -> Rule | None:
    names = sorted({fold(p).view for p in people if p and len(p) >= 3}, key=len, reverse=True)
    if not names:
        return None
    ids = "|".join(re.escape(name) for name in names)
    # Whole tokens: o-1 masks "o-1" and "o-1," but not "o-10" or "o-1-2".
    return Rule(re.compile(rf"(?i)(?<![A-Za-z0-9_])(?<![A-Za-z0-9_][.-])(?:{ids})(?![A-Za-z0-9_]|[.-][A-Za-z0-9_])"), "[user]")


CONTACT_RULES = (
    Rule(EMAIL, "[email]"),
    Rule(LINK, "[link]"),
    Rule(DOMAIN, "[link]"),
)
NUMBER_RULES = (
    Rule(ID_CARD, "[id]", is_id_card),
    Rule(ADDRESS_ZH, "[address]"),
    Rule(ADDRESS_EN, "[address]"),
    Rule(DATE_YMD, None, is_whole_date),
    Rule(DATE_DMY, None, is_whole_date),
    Rule(TIME, None),
    Rule(PRICE, None, is_not_mobile),
    Rule(ORDER, None, is_not_mobile),
    Rule(PHONE, "[phone]", is_phone),
    Rule(HANDLE, "[handle]", is_handle),
    Rule(HANDLE_BY_ID, "[handle]"),
    Rule(AT_HANDLE, "[handle]"),
)


def rules_for(people: Iterable[str]) -> list[Rule]:
    """Every rule in the order it runs: contacts, the people's ids, then numbers, addresses and handles."""
    person = _person_rule(people)
    return [*CONTACT_RULES, *([person] if person else []), *NUMBER_RULES]
