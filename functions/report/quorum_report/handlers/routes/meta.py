"""Public routes about the API itself: liveness and the OpenAPI document."""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel

from quorum_common.http import QuorumRouter, allow

router = QuorumRouter()


class Health(BaseModel):
    status: Literal["ok"]
    service: str
    env: str


@router.get("/v1/health", summary="Liveness", tags=["meta"])
@allow()
def health() -> Health:
    """Answers without touching any other service."""
    return Health(status="ok", service="quorum", env=os.environ.get("QUORUM_ENV", "unknown"))


@cache
def _openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(resources.files("quorum_common").joinpath("openapi.json").read_text())
    return document


@router.get("/v1/openapi.json", summary="This API's OpenAPI document", tags=["meta"])
@allow()
def openapi() -> dict[str, Any]:
    """The OpenAPI document of the whole public API (generated from every API function)."""
    return _openapi_document()
