"""Routes for ops: read and version the voting policies."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from quorum_common.http import QuorumRouter, allow, current_caller, refuses
from quorum_common.vocabulary import Module
from quorum_report.domain.policy import Policy, PolicyRules
from quorum_report.handlers.schemas import PoliciesResponse
from quorum_report.handlers.wiring import api_deps
from quorum_report.service.policies import PutPolicy, list_policies, put_policy

router = QuorumRouter()


@router.get("/v1/policies", summary="The current voting policy of every module", tags=["policies"])
@allow("ops")
def get_policies() -> PoliciesResponse:
    """Ops: each module's current version (the built-in one until ops store another)."""
    return PoliciesResponse(policies=list_policies(api_deps().policies))


@router.put("/v1/policies/<module>", summary="Store the next version of a module's policy", tags=["policies"])
@allow("ops")
@refuses(409)
def put_module_policy(module: Annotated[Module, Path()], rules: PolicyRules) -> Policy:
    """Ops: version n+1; running cases keep the version they started with."""
    caller = current_caller()
    deps = api_deps()
    return put_policy(PutPolicy(module, rules, caller.sub), policies=deps.policies, clock=deps.clock)
