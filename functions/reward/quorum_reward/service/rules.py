"""Use cases of reward rules: list them, change one, find the one in force."""

from __future__ import annotations

from datetime import datetime

from quorum_common.vocabulary import MODULES, check_module
from quorum_reward.domain.rules import ModuleRule, RewardRule, rule_or_default
from quorum_reward.service.ports import RuleRepository


def list_rules(rules: RuleRepository) -> list[ModuleRule]:
    """The rule in force for every module, defaults filled in where ops stored none."""
    stored = {rule.module: rule for rule in rules.stored_rules()}
    return [rule_or_default(module, stored.get(module)) for module in MODULES]


def put_rule(module: str, rule: RewardRule, rules: RuleRepository, now: datetime) -> ModuleRule:
    """Store a module's rule (unknown module -> `UnknownModule`) and return the stored version."""
    return rules.save_rule(check_module(module), rule, now)


def rule_in_force(module: str, rules: RuleRepository) -> ModuleRule:
    """The rule a grant uses: the one stored now (rules are not snapshotted per case)."""
    known = check_module(module)
    return rule_or_default(known, rules.stored_rule(known))
