"""DynamoDB adapters of the reviewer capability, on `quorum_common.dynamo.Table` (boto3 on first use)."""

from __future__ import annotations

import random

from quorum_common.dynamo import Table
from quorum_reviewer.adapters.pool import DynamoDrawIndex
from quorum_reviewer.adapters.reviewers import DynamoReviewerRepository
from quorum_reviewer.adapters.rules import DynamoRulesStore
from quorum_reviewer.adapters.seats import DynamoSeatLedger
from quorum_reviewer.service.ports import ReviewerPorts


def dynamo_ports(table: Table, rng: random.Random | None = None) -> ReviewerPorts:
    """Every port of the reviewer use cases, on one reviewer table."""
    seats = DynamoSeatLedger(table)
    return ReviewerPorts(reviewers=DynamoReviewerRepository(table, rng), rules=DynamoRulesStore(table),
                         pool=DynamoDrawIndex(table), seats=seats, outcomes=seats)
