"""Routes of the points mall."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from quorum_common.http import QuorumRouter, allow, current_caller, refuses
from quorum_common.idempotency import IdempotencyKeyHeader
from quorum_common.vocabulary import utc_now
from quorum_reward.domain.mall import ITEM_ID_PATTERN, ItemSpec, MallItem, Redemption
from quorum_reward.handlers import wiring
from quorum_reward.handlers.schemas import MAX_PAGE, MallItemRequest, MallItemsView, RedemptionRequest, RedemptionsView
from quorum_reward.service import mall
from quorum_reward.service.mall import Redeem

router = QuorumRouter()


@router.get("/v1/mall/items")
@allow("user", "ops")
def list_items() -> MallItemsView:
    """The catalogue: price and stock of every item."""
    return MallItemsView(items=wiring.mall_repo().items())


@router.put("/v1/mall/items/<item_id>")
@allow("ops")
def put_item(item_id: Annotated[str, Path(pattern=ITEM_ID_PATTERN, max_length=64)], body: MallItemRequest) -> MallItem:
    """Create or update an item (ops)."""
    return mall.put_item(item_id, ItemSpec(**body.model_dump()), wiring.mall_repo(), utc_now())


@router.post("/v1/mall/redemptions", status_code=201)
@allow("user")
@refuses(404, 409)
def create_redemption(body: RedemptionRequest, idempotency_key: IdempotencyKeyHeader = None) -> Redemption:
    """Redeem points for an item; honours `Idempotency-Key` (a replay answers with the first result)."""
    command = Redeem(user_id=current_caller().sub, **body.model_dump(), idempotency_key=idempotency_key)
    return wiring.redeemer()(command, router.lambda_context)


@router.get("/v1/mall/redemptions")
@allow("user")
def list_redemptions(limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50) -> RedemptionsView:
    """My redemptions, newest first."""
    return RedemptionsView(redemptions=wiring.mall_repo().redemptions(current_caller().sub, limit))
