"""The rules document in DynamoDB (one item; defaults when absent)."""

from __future__ import annotations

from quorum_common.dynamo import Table
from quorum_reviewer.adapters.keys import RULES_KEY
from quorum_reviewer.domain.rules import ReviewerRules


class DynamoRulesStore:
    """`RulesStore` on the reviewer table."""

    def __init__(self, table: Table):
        self.table = table

    def get(self) -> ReviewerRules:
        item = self.table.get(RULES_KEY)
        return ReviewerRules.model_validate(item["rules"]) if item else ReviewerRules()

    def put(self, rules: ReviewerRules) -> None:
        self.table.put({**RULES_KEY, "kind": "rules", "rules": rules.model_dump(mode="json")})
