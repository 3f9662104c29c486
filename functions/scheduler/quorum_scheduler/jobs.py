"""Which capability runs which scheduled job, and how a job is run through RPC."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

# job name (the schedule's Input) -> (capability in Cloud Map, worker action)
JOBS: dict[str, tuple[str, str]] = {
    "enrollment": ("reviewer", "run_enrollment"),
    "auto_adjustment": ("reviewer", "auto_adjust"),
    "sweep_stuck_cases": ("report", "sweep_stuck_cases"),
}


class UnknownJob(Exception):
    """The schedule named a job this function does not know."""


class Rpc(Protocol):
    """What a job needs of `quorum_common.rpc.RpcClient`: run an action on a capability, get its result."""

    def call(self, service: str, action: str, payload: Mapping[str, Any] | None = None) -> Any: ...


MAX_BATCHES = 1000  # a runaway cursor must not keep the scheduler busy forever


def run_job(job: str, rpc: Rpc) -> dict[str, Any]:
    """Run `job` on the capability that owns it, batch after batch, and return every batch's report.

    A capability that cannot finish within one invocation answers with `next_cursor`; the job
    goes on from there until the cursor is null.
    """
    if job not in JOBS:
        raise UnknownJob(f"unknown job {job!r}; known: {', '.join(sorted(JOBS))}")
    service, action = JOBS[job]
    batches: list[Any] = []
    payload: dict[str, Any] = {}
    for _ in range(MAX_BATCHES):
        result = rpc.call(service, action, payload)
        batches.append(result)
        cursor = result.get("next_cursor") if isinstance(result, dict) else None
        if not cursor:
            break
        payload = {"cursor": cursor}
    return {"job": job, "service": service, "batches": batches}
