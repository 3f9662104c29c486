"""What reviewers see of reported text: no contacts, no ids of the people involved."""

from __future__ import annotations

import pytest

from quorum_report.domain.masking import mask_text


@pytest.mark.parametrize(("text", "hidden"), [
    ("mail me at seller.bob+deals@example.co.uk", "seller.bob+deals@example.co.uk"),
    ("call 138 1234 5678 tonight", "138 1234 5678"),
    ("call +86-138-1234-5678", "+86-138-1234-5678"),
    ("tel (021) 6234-5678", "6234-5678"),
    ("add my WeChat: bob_trader88", "bob_trader88"),
    ("加微信 wx_bob2024 便宜", "wx_bob2024"),
    ("QQ 12345678 for pictures", "12345678"),
    ("ping @bob.sells on insta", "@bob.sells"),
    ("telegram: t.me/bobsells", "bobsells"),
    ("see https://evil.example.com/pay?x=1 now", "evil.example.com"),
    ("www.cheap-phones.cn has more", "cheap-phones.cn"),
])
def test_contacts_are_masked(text: str, hidden: str) -> None:
    masked = mask_text(text)
    assert hidden not in masked
    assert "[" in masked


def test_the_parties_ids_are_masked() -> None:
    masked = mask_text("user-owner-77 scammed me, ask user-reporter-1", ["user-owner-77", "user-reporter-1"])
    assert "user-owner-77" not in masked and "user-reporter-1" not in masked
    assert masked.count("[user]") == 2


def test_ordinary_text_and_prices_stay_readable() -> None:
    text = "iPhone 12, 128GB, price 1200 yuan, bought 2021-05, battery 87%"
    assert mask_text(text) == text


def test_empty_text_stays_empty() -> None:
    assert mask_text(None) is None
    assert mask_text("") == ""


@pytest.mark.parametrize("text", ["电话13812345678", "我的手机号13812345678谢谢", "加我@sellerbob看货"])
def test_contacts_written_against_chinese_text_are_masked(text: str) -> None:
    masked = mask_text(text)
    assert "13812345678" not in masked and "sellerbob" not in masked
