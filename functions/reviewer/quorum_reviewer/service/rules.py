"""Use cases on the reviewer rules document."""

from __future__ import annotations

from quorum_reviewer.domain.rules import ReviewerRules
from quorum_reviewer.service.ports import RulesStore


def get_rules(rules: RulesStore) -> ReviewerRules:
    """The rules in force (defaults until ops store their own)."""
    return rules.get()


def replace_rules(new: ReviewerRules, rules: RulesStore) -> ReviewerRules:
    """Store a whole rules document (idempotent); it applies from the next draw, walk or profile update."""
    rules.put(new)
    return new
