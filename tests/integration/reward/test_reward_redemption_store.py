"""The redemption transaction on moto without Powertools in front: the second, storage-level guard
(a keyed redemption's id is derived from user and key) still redeems once."""

from __future__ import annotations

import pytest
from reward_http_events import call
from reward_moto import decide, everything, reward_tables  # noqa: F401  (fixture)

from quorum_common.idempotency import IdempotencyKeyReused
from quorum_common.vocabulary import utc_now
from quorum_reward.handlers import wiring
from quorum_reward.service.mall import Redeem, redeem

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


@pytest.fixture
def funded(reward_tables):
    call("PUT", "/v1/mall/items/pen", body={"name": "Pen", "cost_points": 5, "stock": 9},
         sub="ops-1", groups=("ops",))
    decide("case-1", {"u1": "violation"})


def test_a_replay_after_the_idempotency_record_expired_still_debits_once(funded):
    command = Redeem(user_id="u1", item_id="pen", quantity=2, idempotency_key="old-key")
    first = redeem(command, wiring.mall_repo(), utc_now)
    before = everything()
    again = redeem(command, wiring.mall_repo(), utc_now)
    assert again == first
    assert everything() == before
    assert call("GET", "/v1/rewards/me")[1]["balance"] == 5


def test_a_replay_with_another_body_after_expiry_is_refused(funded):
    redeem(Redeem(user_id="u1", item_id="pen", quantity=2, idempotency_key="old-key"), wiring.mall_repo(),
           utc_now)
    before = everything()
    with pytest.raises(IdempotencyKeyReused):
        redeem(Redeem(user_id="u1", item_id="pen", quantity=1, idempotency_key="old-key"), wiring.mall_repo(),
               utc_now)
    assert everything() == before
