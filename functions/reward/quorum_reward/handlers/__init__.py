"""Lambda entry points of the reward capability: `api` (HTTP) and `worker` (actions)."""
