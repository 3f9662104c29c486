"""Routes about releases: where the environment's traffic goes, read-only."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from quorum_common.http import QuorumRouter, allow
from quorum_console.handlers import wiring
from quorum_console.handlers.schemas import MAX_RECORDS, ReleasesView
from quorum_console.service.releases import read_releases

router = QuorumRouter()


@router.get("/v1/releases", summary="The live aliases of the functions and the voting machine, and the latest release records",
            tags=["releases"])
@allow("ops")
def get_releases(limit: Annotated[int, Query(ge=1, le=MAX_RECORDS)] = 20) -> ReleasesView:
    """Ops: the stack's own functions (version, canary version and weight), its voting machine (weight and
    running cases per version) and its newest release records."""
    config = wiring.settings()
    releases = read_releases(config.env, config.functions, config.voting_alias_arn, limit, aliases=wiring.aliases(),
                             machines=wiring.machines(), log=wiring.release_log())
    return ReleasesView(env=releases.env, functions=releases.functions, machines=releases.machines,
                        records=releases.records)
