"""The console's files: `GET /console` and everything under it (public; the page signs in itself)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from quorum_common.http import QuorumRouter, allow
from quorum_console.handlers import wiring
from quorum_console.service.files import serve

router = QuorumRouter()


@router.get("/console/?", include_in_schema=False)  # API Gateway sends `/console/` to this route too
@allow()
def console_root() -> Response[str]:
    """The app's page (also for `/console/`, which API Gateway routes here)."""
    return _file()


@router.get("/console/.+", include_in_schema=False)
@allow()
def console_file() -> Response[str]:
    """A console file by name, or the app's page for any of its routes."""
    return _file()


def _file() -> Response[str]:
    served = serve(router.current_event.path, wiring.files())
    return Response(status_code=200, content_type=served.content_type, body=served.body, headers=served.headers)
