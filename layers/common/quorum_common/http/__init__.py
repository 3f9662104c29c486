"""The HTTP edge shared by every API function: one resolver factory, one error format.

- `error_format`: the error shape, the status of each domain error, what each status means;
- `declarations`: `@allow`, `@refuses`, `@also_succeeds` and the OpenAPI responses they document;
- `refusals`: answers given before routing (a wrong role, a body refused by quorum_common.jsonbody);
- `resolver`: `QuorumRouter`, the thread-local resolver and `current_caller`;
- `app`: `create_app`, mapping validation failures (400, 415, 422, 500) to the error format.
"""

from quorum_common.http.app import create_app
from quorum_common.http.declarations import Roles, allow, also_succeeds, answer, contract_responses, refuses, route_key
from quorum_common.http.error_format import (
    ERROR_MEANINGS,
    STATUS_BY_ERROR,
    ErrorBody,
    ErrorDetail,
    error_body,
    error_response,
    status_for,
    validation_details,
)
from quorum_common.http.resolver import QuorumRouter, ThreadLocalHttpResolver, current_caller

__all__ = [
    "ERROR_MEANINGS", "STATUS_BY_ERROR", "ErrorBody", "ErrorDetail", "QuorumRouter", "Roles", "ThreadLocalHttpResolver",
    "allow", "also_succeeds", "answer", "contract_responses", "create_app", "current_caller", "error_body",
    "error_response", "refuses", "route_key", "status_for", "validation_details",
]
