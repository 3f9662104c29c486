"""Voting policies: read the current version, store a new one."""

from __future__ import annotations

from dataclasses import dataclass

from quorum_common.errors import Conflict
from quorum_common.vocabulary import MODULES
from quorum_report.domain.policy import Policy, PolicyRules, default_policy, new_version
from quorum_report.service.ports import Clock, PolicyStore, VersionConflict

PUT_ATTEMPTS = 3


@dataclass(frozen=True)
class PutPolicy:
    """Ops replaces a module's rules; the result is the next version."""

    module: str
    rules: PolicyRules
    by: str


def current_policy(module: str, policies: PolicyStore) -> Policy:
    """The version a new case of `module` snapshots: the latest stored, else the built-in one."""
    return policies.current(module) or default_policy(module)


def list_policies(policies: PolicyStore) -> list[Policy]:
    """The current policy of every module, in module order."""
    stored = {policy.module: policy for policy in policies.all_current()}
    return [stored.get(module) or default_policy(module) for module in MODULES]


def put_policy(cmd: PutPolicy, *, policies: PolicyStore, clock: Clock) -> Policy:
    """Store version n+1 of the module's policy (a concurrent PUT simply takes the next number)."""
    for _ in range(PUT_ATTEMPTS):
        stored = policies.current(cmd.module)
        previous = stored.version if stored else None
        policy = new_version(cmd.module, cmd.rules, (previous or 1) + 1, clock(), cmd.by)
        try:
            policies.put(policy, previous)
            return policy
        except VersionConflict:
            continue
    raise Conflict("The policy is being changed by someone else; try again.", code="policy_busy")
