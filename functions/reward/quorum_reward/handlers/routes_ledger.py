"""Routes of a user's own points."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from quorum_common.auth import caller_from_event
from quorum_reward.handlers import wiring
from quorum_reward.handlers.schemas import MyRewardsView
from quorum_reward.service.ledger import my_rewards

router = Router()
MAX_PAGE = 100


@router.get("/v1/rewards/me")
def get_my_rewards(limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50) -> MyRewardsView:
    """My balance and my newest ledger entries, newest first."""
    caller = caller_from_event(router.current_event.raw_event).require("user")
    mine = my_rewards(caller.sub, limit, wiring.ledger())
    return MyRewardsView(balance=mine.balance, entries=mine.entries)
