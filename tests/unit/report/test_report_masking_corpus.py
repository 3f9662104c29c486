"""Masking as a tested module: a corpus of secrets and of text that must come back as written,
and properties over generated phones, e-mails, dates and prices in random surroundings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from masking_corpus import NEGATIVE, POSITIVE

from quorum_report.domain.masking import mask_text


def test_the_corpus_is_large_enough() -> None:
    assert len(POSITIVE) >= 50 and len(NEGATIVE) >= 30


@pytest.mark.parametrize(("text", "secret"), POSITIVE)
def test_no_secret_of_the_corpus_survives(text: str, secret: str) -> None:
    masked = mask_text(text)
    assert masked is not None and secret not in masked and "[" in masked


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_text_of_the_corpus_comes_back_as_written(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(("text", "label"), [
    ("身份证 11010519491231002X", "身份证 [id]"),
    ("地址：北京市朝阳区建国路88号", "地址：[address]"),
    ("send it to 123 Main Street, Springfield", "send it to [address], Springfield"),
    ("buy at evil-shop.cn please", "buy at [link] please"),
    ("mail alice＠example.com", "mail [email]"),
    ("手机：１３８００１３８０００！", "手机：[phone]！"),
])
def test_each_shape_has_its_placeholder_and_the_rest_keeps_its_characters(text: str, label: str) -> None:
    assert mask_text(text) == label


def test_ids_are_masked_as_whole_tokens() -> None:
    assert mask_text("o-1 and o-10 and O-1, o-1-2", ["o-1"]) == "[user] and o-10 and [user], o-1-2"


def test_a_full_width_id_is_the_same_id() -> None:
    assert mask_text("ｏ－１ again", ["o-1"]) == "[user] again"


# --- properties -------------------------------------------------------------------------------

FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
SEPARATORS = ["", " ", "-", "–", "—", "/", ".", "－", "\u3000", " - "]
SURROUNDING = st.text(alphabet=st.sampled_from(list("abcXYZ ,.!?:;()'\"") + list("的是我电话联系加价格，。：") + ["\n"]),
                      max_size=12)


@st.composite
def phones(draw: st.DrawFn) -> str:
    """A mainland mobile number in any grouping, one separator, optional +86, digits of either width."""
    digits = "1" + draw(st.sampled_from("3456789")) + "".join(draw(st.lists(st.sampled_from("0123456789"),
                                                                        min_size=9, max_size=9)))
    cuts = sorted(draw(st.sets(st.integers(1, 10), max_size=10)))
    groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, 11], strict=True)]
    body = draw(st.sampled_from(SEPARATORS)).join(groups)
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "+86-", "0086 ", "86 "]))
    return "".join(FULL_WIDTH[ch] if ch.isdigit() and draw(st.booleans()) else ch for ch in prefix + body)


@st.composite
def emails(draw: st.DrawFn) -> str:
    word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
    local = draw(st.lists(word, min_size=1, max_size=3))
    labels = draw(st.lists(word, min_size=1, max_size=3))
    tld = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=6))
    at = draw(st.sampled_from(["@", "＠"]))
    return draw(st.sampled_from([".", "_", "+", "-"])).join(local) + at + ".".join([*labels, tld])


def _around(prefix: str, secret: str, suffix: str) -> str:
    """The secret inside text, never glued to a letter or digit (that would make it another token)."""
    left = prefix + " " if prefix[-1:].isascii() and prefix[-1:].isalnum() else prefix
    right = " " + suffix if suffix[:1].isascii() and suffix[:1].isalnum() else suffix
    return left + secret + right


@given(prefix=SURROUNDING, phone=phones(), suffix=SURROUNDING)
def test_no_generated_phone_survives(prefix: str, phone: str, suffix: str) -> None:
    masked = mask_text(_around(prefix, phone, suffix))
    assert masked is not None and phone not in masked and "[phone]" in masked


@given(prefix=SURROUNDING, email=emails(), suffix=SURROUNDING)
def test_no_generated_email_survives(prefix: str, email: str, suffix: str) -> None:
    masked = mask_text(_around(prefix, email, suffix))
    assert masked is not None and email not in masked


@st.composite
def dates(draw: st.DrawFn) -> str:
    year, month, day = draw(st.integers(1990, 2035)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    sep = draw(st.sampled_from("-/."))
    if draw(st.booleans()):
        return f"{year}{sep}{month:02d}{sep}{day:02d}"
    return f"{day:02d}{sep}{month:02d}{sep}{year}"


@st.composite
def prices(draw: st.DrawFn) -> str:
    amount = draw(st.integers(0, 99_999_999))
    cents = draw(st.sampled_from(["", ".00", ".50", ".99"]))
    number = (f"{amount:,}" if draw(st.booleans()) else str(amount)) + cents
    return draw(st.sampled_from(["¥{}", "￥{}", "${}", "{}元", "{} yuan", "RMB {}"])).format(number)


PLAIN = st.text(alphabet=st.sampled_from(list("abcXYZ ,!?;()") + list("的是我价格，。")), max_size=12)


@given(prefix=PLAIN, kept=st.one_of(dates(), prices()), suffix=PLAIN)
def test_generated_dates_and_prices_survive(prefix: str, kept: str, suffix: str) -> None:
    text = _around(prefix, kept, suffix)
    assert mask_text(text) == text
