"""Response bodies of the console API (the public contract of `GET /v1/releases`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from quorum_console.domain.release import LiveAlias, ReleaseRecord

MAX_RECORDS = 100


class ReleasesView(BaseModel):
    """The environment, each function's `live` alias (canary weight as a fraction of requests), and the newest
    release-log records, newest first."""

    model_config = ConfigDict(extra="forbid")

    env: str
    functions: list[LiveAlias]
    records: list[ReleaseRecord]
