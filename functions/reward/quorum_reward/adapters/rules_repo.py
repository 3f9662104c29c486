"""Reward rules in the reward table: one item per module under `pk = RULES`."""

from __future__ import annotations

from datetime import datetime

from quorum_common.dynamo import Item, Table
from quorum_common.vocabulary import Module
from quorum_reward.adapters.versioned import save_versioned
from quorum_reward.domain.rules import ModuleRule, RewardRule

RULES_PK = "RULES"
FIELDS = ("points_per_vote", "consensus_bonus", "daily_cap")


class DynamoRuleRepository:
    """`RuleRepository` on DynamoDB; a save that changes nothing keeps the stored version."""

    def __init__(self, table: Table):
        self.table = table

    def stored_rules(self) -> list[ModuleRule]:
        return [_rule(row) for row in self.table.query("pk = :pk", {":pk": RULES_PK})]

    def stored_rule(self, module: Module) -> ModuleRule | None:
        row = self.table.get({"pk": RULES_PK, "sk": module})
        return _rule(row) if row else None

    def save_rule(self, module: Module, rule: RewardRule, now: datetime) -> ModuleRule:
        values = {**rule.model_dump(), "module": module, "updated_at": now.isoformat()}
        return _rule(save_versioned(self.table, {"pk": RULES_PK, "sk": module}, values, FIELDS))


def _rule(row: Item) -> ModuleRule:
    return ModuleRule(module=row["sk"], version=row["version"], updated_at=row["updated_at"],
                      **{name: row[name] for name in FIELDS})
