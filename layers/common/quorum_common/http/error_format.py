"""The one error format of the public API: its shape, its statuses, and what each status means.

Every error leaves as `{"error": {"code", "message", "details"}}` (ARCHITECTURE.md §3); the
mapping from domain errors to statuses lives here and nowhere else.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict

from quorum_common import errors

STATUS_BY_ERROR: dict[type[errors.QuorumError], int] = {
    errors.MalformedRequest: 400,
    errors.Unauthenticated: 401,
    errors.PermissionDenied: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.UnsupportedMediaType: 415,
    errors.InvalidInput: 422,
    errors.RateLimited: 429,
    errors.ServiceUnavailable: 503,
}


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    """The one error shape of the public API."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_response(status: int, code: str, message: str, details: list[Any] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """A Powertools response carrying `error_body`."""
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON,
                    body=json.dumps(error_body(code, message, details)), headers=headers)


def status_for(exc: errors.QuorumError) -> int:
    """The HTTP status of a domain error (most specific class wins)."""
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def validation_details(exc: RequestValidationError) -> list[dict[str, str]]:
    """Pydantic errors as `{field, message}` pairs, without echoing the caller's values."""
    return [{"field": ".".join(str(part) for part in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors()]


class ErrorDetail(BaseModel):
    """What went wrong: a stable snake_case `code`, a sentence, and field-level `details`."""

    model_config = ConfigDict(defer_build=True)  # documentation only (errors are written by `error_body`)

    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorBody(BaseModel):
    """Every error of the public API (ARCHITECTURE.md §3)."""

    model_config = ConfigDict(defer_build=True)

    error: ErrorDetail


# What each status means in this API; every route documents the ones it can answer.
ERROR_MEANINGS = {
    400: "The body is not JSON (`malformed_json`).",
    401: "No valid bearer token (`missing_token`).",
    403: "The caller's role may not do this (`wrong_role`), or the thing is not theirs.",
    404: "What the path names does not exist.",
    409: "The request clashes with the current state.",
    415: "The body is not `application/json`.",
    422: "The request breaks a rule (`validation_error` with field details, or the route's own code).",
    429: "Over a quota; `Retry-After` says in how many seconds to try again.",
    500: "A defect on our side (`internal_error`); never the caller's mistake.",
    503: "A capability or AWS service this one depends on is unavailable; retry.",
}
