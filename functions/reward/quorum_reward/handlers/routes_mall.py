"""Routes of the points mall."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from quorum_common.auth import caller_from_event
from quorum_common.errors import InvalidInput
from quorum_reward.domain.mall import ITEM_ID_PATTERN, ItemSpec, MallItem, Redemption
from quorum_reward.handlers import wiring
from quorum_reward.handlers.schemas import IDEMPOTENCY_KEY_MAX, MallItemRequest, MallItemsView, RedemptionRequest, RedemptionsView
from quorum_reward.service import mall
from quorum_reward.service.mall import Redeem

router = Router()
MAX_PAGE = 100


@router.get("/v1/mall/items")
def list_items() -> MallItemsView:
    """The catalogue: price and stock of every item."""
    caller_from_event(router.current_event.raw_event).require("user", "ops")
    return MallItemsView(items=wiring.mall_repo().items())


@router.put("/v1/mall/items/<item_id>")
def put_item(item_id: Annotated[str, Path(pattern=ITEM_ID_PATTERN, max_length=64)], body: MallItemRequest) -> MallItem:
    """Create or update an item (ops)."""
    caller_from_event(router.current_event.raw_event).require("ops")
    return mall.put_item(item_id, ItemSpec(**body.model_dump()), wiring.mall_repo(), wiring.utcnow())


@router.post("/v1/mall/redemptions")
def create_redemption(body: RedemptionRequest) -> Response[Redemption]:
    """Redeem points for an item; honours `Idempotency-Key` (a replay answers with the first result)."""
    caller = caller_from_event(router.current_event.raw_event).require("user")
    command = Redeem(user_id=caller.sub, item_id=body.item_id, quantity=body.quantity,
                     idempotency_key=_idempotency_key())
    redemption = wiring.redeemer()(command, router.lambda_context)
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON,
                    body=redemption.model_dump(mode="json"))


@router.get("/v1/mall/redemptions")
def list_redemptions(limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50) -> RedemptionsView:
    """My redemptions, newest first."""
    caller = caller_from_event(router.current_event.raw_event).require("user")
    return RedemptionsView(redemptions=wiring.mall_repo().redemptions(caller.sub, limit))


def _idempotency_key() -> str | None:
    key = router.current_event.headers.get("Idempotency-Key")  # case-insensitive in Powertools v3
    if key is None:
        return None
    if not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX or not key.isprintable() or not key.isascii():
        raise InvalidInput(f"Idempotency-Key must be 1-{IDEMPOTENCY_KEY_MAX} printable ASCII characters.",
                           code="invalid_idempotency_key")
    return key
