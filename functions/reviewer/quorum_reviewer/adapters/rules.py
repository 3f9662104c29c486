"""The rules document in DynamoDB (one item; defaults when absent)."""

from __future__ import annotations

from quorum_reviewer.adapters.dynamo import DynamoTable
from quorum_reviewer.domain.rules import ReviewerRules

RULES_KEY = {"pk": "CONFIG", "sk": "RULES"}


class DynamoRulesStore:
    """`RulesStore` on the reviewer table."""

    def __init__(self, table: DynamoTable):
        self.table = table

    def get(self) -> ReviewerRules:
        raw = self.table.call("get_item", TableName=self.table.name, Key=self.table.marshal(RULES_KEY),
                              ConsistentRead=True).get("Item")
        return ReviewerRules.model_validate(self.table.unmarshal(raw)["rules"]) if raw else ReviewerRules()

    def put(self, rules: ReviewerRules) -> None:
        item = {**RULES_KEY, "kind": "rules", "rules": rules.model_dump(mode="json")}
        self.table.call("put_item", TableName=self.table.name, Item=self.table.marshal(item))
