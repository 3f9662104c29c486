"""Which capability runs which scheduled job, and how a job is run through RPC."""

from __future__ import annotations

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
    def call(self, service: str, action: str, payload: dict[str, Any], **kwargs: Any) -> Any: ...


def run_job(job: str, rpc: Rpc) -> dict[str, Any]:
    """Run `job` on the capability that owns it and return what that capability reports."""
    if job not in JOBS:
        raise UnknownJob(f"unknown job {job!r}; known: {', '.join(sorted(JOBS))}")
    service, action = JOBS[job]
    return {"job": job, "service": service, "result": rpc.call(service, action, {})}
