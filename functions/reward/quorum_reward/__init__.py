"""The reward capability: reward rules, exactly-once grants, the points ledger and the points mall."""
