"""Reward rules and mall use cases on the fake store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from reward_fakes import FakeClock, FakeRewardStore

from quorum_common.errors import TransientError
from quorum_common.idempotency import IdempotencyKeyReused
from quorum_common.vocabulary import MODULES, UnknownModule
from quorum_reward.domain.errors import InsufficientPoints, InsufficientStock, ItemNotFound
from quorum_reward.domain.grants import Vote, build_grant
from quorum_reward.domain.ledger import grant_entry
from quorum_reward.domain.mall import ItemSpec, MallItem, default_mall_items
from quorum_reward.domain.rules import DEFAULT_RULE, RewardRule
from quorum_reward.service import mall
from quorum_reward.service.mall import Redeem
from quorum_reward.service.rules import list_rules, put_rule

RULE = RewardRule(points_per_vote=3, consensus_bonus=1, daily_cap=50)


def funded(points: int, user: str = "u1") -> FakeRewardStore:
    """A store where `user` holds `points` (granted a month ago) and item `tea` costs 10, 5 in stock."""
    store, clock = FakeRewardStore(), FakeClock(datetime(2025, 2, 1, tzinfo=UTC))
    rule = RewardRule(points_per_vote=points, consensus_bonus=0, daily_cap=points)
    grant = build_grant("seed", "post", "violation", clock(), Vote(reviewer_id=user, verdict="violation"), rule, 0,
                        clock())
    store._append(grant_entry(grant))
    store.save_item("tea", ItemSpec(name="Tea", cost_points=10, stock=5), clock())
    return store


# ---------------------------------------------------------------- rules
def test_every_module_is_listed_with_the_default_until_ops_store_a_rule():
    store, clock = FakeRewardStore(), FakeClock()
    put_rule("chat", RULE, store, clock())
    listed = {r.module: r for r in list_rules(store)}
    assert set(listed) == set(MODULES)
    assert listed["chat"].points_per_vote == 3 and not listed["chat"].is_default
    assert listed["post"].points_per_vote == DEFAULT_RULE.points_per_vote and listed["post"].is_default


def test_storing_the_same_rule_twice_keeps_its_version_and_a_change_bumps_it():
    store, clock = FakeRewardStore(), FakeClock()
    first = put_rule("chat", RULE, store, clock())
    same = put_rule("chat", RULE, store, clock())
    changed = put_rule("chat", RULE.model_copy(update={"daily_cap": 0}), store, clock())
    assert (first.version, same.version, changed.version) == (1, 1, 2)
    assert same.updated_at == first.updated_at


def test_a_rule_for_an_unknown_module_is_refused_and_nothing_is_stored():
    store = FakeRewardStore()
    with pytest.raises(UnknownModule) as refused:
        put_rule("forum", RULE, store, FakeClock()())
    assert refused.value.code == "unknown_module" and store.stored_rules() == []


# ---------------------------------------------------------------- mall
def test_a_redemption_debits_points_and_stock_with_a_negative_entry():
    store = funded(35)
    redemption = mall.redeem(Redeem(user_id="u1", item_id="tea", quantity=3), store, FakeClock())
    assert redemption.cost_points == 30 and redemption.unit_cost == 10
    assert store.balance("u1") == 5 and store.item("tea").stock == 2
    assert store.entries("u1", 1)[0].points == -30


@pytest.mark.parametrize("user_points,quantity,error,code", [
    (25, 3, InsufficientPoints, "insufficient_points"),
    (500, 6, InsufficientStock, "insufficient_stock"),
])
def test_a_debit_beyond_points_or_stock_is_refused_and_changes_nothing(user_points, quantity, error, code):
    store = funded(user_points)
    before = store.snapshot()
    with pytest.raises(error) as refused:
        mall.redeem(Redeem(user_id="u1", item_id="tea", quantity=quantity), store, FakeClock())
    assert refused.value.code == code
    assert store.snapshot() == before


def test_an_unknown_item_is_not_found():
    store = funded(100)
    with pytest.raises(ItemNotFound) as refused:
        mall.redeem(Redeem(user_id="u1", item_id="nope", quantity=1), store, FakeClock())
    assert refused.value.code == "item_not_found"


def test_a_replayed_key_returns_the_first_redemption_and_debits_once():
    store, clock = funded(100), FakeClock()
    first = mall.redeem(Redeem(user_id="u1", item_id="tea", quantity=2, idempotency_key="k"), store, clock)
    again = mall.redeem(Redeem(user_id="u1", item_id="tea", quantity=2, idempotency_key="k"), store, clock)
    assert again == first
    assert store.balance("u1") == 80 and len(store.redemptions("u1", 10)) == 1


def test_a_key_reused_with_another_body_is_refused_and_changes_nothing():
    store, clock = funded(100), FakeClock()
    mall.redeem(Redeem(user_id="u1", item_id="tea", quantity=2, idempotency_key="k"), store, clock)
    before = store.snapshot()
    with pytest.raises(IdempotencyKeyReused):
        mall.redeem(Redeem(user_id="u1", item_id="tea", quantity=1, idempotency_key="k"), store, clock)
    assert store.snapshot() == before


def test_the_same_key_from_two_users_is_two_redemptions():
    store, clock = funded(100, "u1"), FakeClock()
    store._append(grant_entry(build_grant("seed", "post", "violation", clock(), Vote(reviewer_id="u2",
                  verdict="violation"), RULE.model_copy(update={"points_per_vote": 50}), 0, clock())))
    a = mall.redeem(Redeem(user_id="u1", item_id="tea", quantity=1, idempotency_key="k"), store, clock)
    b = mall.redeem(Redeem(user_id="u2", item_id="tea", quantity=1, idempotency_key="k"), store, clock)
    assert a.redemption_id != b.redemption_id and store.item("tea").stock == 3


def test_a_price_change_between_read_and_write_charges_the_new_price():
    store, clock = funded(100), FakeClock()
    real_item = store.item
    first = iter([real_item("tea")])  # the first read is stale ...
    store.save_item("tea", ItemSpec(name="Tea", cost_points=20, stock=5), clock())  # ... ops raised the price
    store.item = lambda item_id: next(first, None) or real_item(item_id)  # type: ignore[method-assign]
    redemption = mall.redeem(Redeem(user_id="u1", item_id="tea", quantity=1), store, clock)
    assert redemption.cost_points == 20 and store.balance("u1") == 80


def test_endless_contention_on_a_redemption_is_a_transient_error_with_nothing_stored():
    store = funded(100)
    before = store.snapshot()
    store.contend(1000)
    with pytest.raises(TransientError):
        mall.redeem(Redeem(user_id="u1", item_id="tea", quantity=1), store, FakeClock())
    store.contend(0)
    assert store.snapshot() == before


def test_the_demo_catalogue_has_three_or_four_valid_distinct_items():
    items = default_mall_items()
    assert 3 <= len(items) <= 4
    assert len({i.item_id for i in items}) == len(items)
    assert all(MallItem.model_validate(i.model_dump()) == i and i.cost_points >= 1 for i in items)
