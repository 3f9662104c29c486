"""Reward rules in the reward table: one item per module under `pk = RULES`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quorum_reward.adapters.attributes import av
from quorum_reward.adapters.dynamo import ConditionFailed, Table
from quorum_reward.domain.rules import Module, ModuleRule, RewardRule

RULES_PK = "RULES"
FIELDS = ("points_per_vote", "consensus_bonus", "daily_cap")


class DynamoRuleRepository:
    """`RuleRepository` on DynamoDB; a save that changes nothing keeps the stored version."""

    def __init__(self, table: Table):
        self.table = table

    def stored_rules(self) -> list[ModuleRule]:
        return [_rule(raw) for raw in self.table.query(RULES_PK)]

    def stored_rule(self, module: Module) -> ModuleRule | None:
        raw = self.table.get(RULES_PK, module)
        return _rule(raw) if raw else None

    def save_rule(self, module: Module, rule: RewardRule, now: datetime) -> ModuleRule:
        values = rule.model_dump()
        changed = " OR ".join(f"#{name} <> :{name}" for name in FIELDS)
        try:
            raw = self.table.update(
                Key=self.table.key(RULES_PK, module),
                UpdateExpression="SET " + ", ".join(f"#{n} = :{n}" for n in (*FIELDS, "module", "updated_at"))
                                 + " ADD #version :one",
                ConditionExpression=f"attribute_not_exists(pk) OR {changed}",
                ExpressionAttributeNames={f"#{n}": n for n in (*FIELDS, "module", "updated_at", "version")},
                ExpressionAttributeValues={**{f":{n}": av(v) for n, v in values.items()}, ":module": av(module),
                                           ":updated_at": av(now.isoformat()), ":one": av(1)})
        except ConditionFailed as same:  # identical to what is stored: nothing to write
            raw = same.old
        return _rule(raw)


def _rule(raw: dict[str, Any]) -> ModuleRule:
    return ModuleRule(module=raw["sk"], version=raw["version"], updated_at=raw["updated_at"],
                      **{name: raw[name] for name in FIELDS})
