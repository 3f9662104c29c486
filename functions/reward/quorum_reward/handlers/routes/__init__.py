"""The reward API's routes, one `QuorumRouter` per area: ledger, mall, rules."""
