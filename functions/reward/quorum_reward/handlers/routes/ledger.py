"""Routes of a user's own points."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from quorum_common.http import QuorumRouter, allow, current_caller
from quorum_reward.handlers import wiring
from quorum_reward.handlers.schemas import MAX_PAGE, MyRewardsView
from quorum_reward.service.ledger import my_rewards

router = QuorumRouter()


@router.get("/v1/rewards/me")
@allow("user")
def get_my_rewards(limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50) -> MyRewardsView:
    """My balance and my newest ledger entries, newest first."""
    mine = my_rewards(current_caller().sub, limit, wiring.ledger())
    return MyRewardsView(balance=mine.balance, entries=mine.entries)
