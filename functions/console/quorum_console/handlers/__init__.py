"""Lambda entry point of the console capability: `api` (HTTP: the static console and `GET /v1/releases`)."""
