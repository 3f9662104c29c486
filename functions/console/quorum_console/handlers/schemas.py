"""Response bodies of the console API (the public contract of `GET /v1/releases`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from quorum_console.domain.release import LiveAlias, MachineAlias, ReleaseRecord

MAX_RECORDS = 100


class ReleasesView(BaseModel):
    """The environment, each function's `live` alias (canary weight as a fraction of requests), the voting state
    machine's `live` alias (each version's weight as a fraction of new cases, and the running cases it holds),
    and the newest release-log records, newest first."""

    model_config = ConfigDict(extra="forbid")

    env: str
    functions: list[LiveAlias]
    machines: list[MachineAlias]
    records: list[ReleaseRecord]
