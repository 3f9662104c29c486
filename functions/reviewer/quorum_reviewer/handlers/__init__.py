"""Lambda entry points of the reviewer capability: `api.handler` (HTTP) and `worker.handler` (actions)."""
