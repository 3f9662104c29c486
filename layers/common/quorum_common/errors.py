"""Domain errors shared by every capability.

Each error names what went wrong, not an HTTP status: `quorum_common.http` maps the kinds to
statuses in one place. Class names double as Step Functions `ErrorEquals` values: keep them
stable.
"""

from __future__ import annotations

from typing import Any


class QuorumError(Exception):
    """Base of every error a caller can cause; `code` is the stable snake_case error code."""

    code = "quorum_error"

    def __init__(self, message: str, *, code: str | None = None, details: list[Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.details = details or []


class InvalidInput(QuorumError):
    """The request is well-formed but breaks a rule (an unknown reason, a bad policy)."""

    code = "invalid_input"


class MalformedRequest(QuorumError):
    """The request could not be read at all (not JSON, wrong content type)."""

    code = "malformed_request"


class UnsupportedMediaType(QuorumError):
    """The body is declared as something other than JSON (a form, multipart, text): the API reads JSON only."""

    code = "unsupported_media_type"


class Unauthenticated(QuorumError):
    """No identity, or one that could not be verified."""

    code = "unauthenticated"


class PermissionDenied(QuorumError):
    """The caller is known but may not do this."""

    code = "forbidden"


class NotFound(QuorumError):
    """What the caller named does not exist (or is not theirs to see)."""

    code = "not_found"


class Conflict(QuorumError):
    """The request clashes with the current state (a second vote, a closed case, no stock)."""

    code = "conflict"


class RateLimited(QuorumError):
    """The caller is over a quota; `retry_after` says in how many seconds to try again."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


class ServiceUnavailable(QuorumError):
    """A capability this one depends on cannot be reached (no instance registered, say)."""

    code = "service_unavailable"


class TransientError(ServiceUnavailable):
    """Throttling or a lost race that a retry with backoff resolves; the state machine retries on this name."""

    code = "transient_error"


class UnknownAction(Exception):
    """A worker event named no action that worker performs: a caller's defect, never a user's mistake."""
