"""Errors of the reviewer capability. Class names double as Step Functions `ErrorEquals` values."""

from __future__ import annotations

from quorum_common.errors import Conflict, TransientError


class ConcurrentUpdate(Conflict):
    """The reviewer changed between our read and our write; read again and retry."""

    code = "concurrent_update"


class DrawInProgress(TransientError):
    """Another invocation holds this round's draw; retry, and get the panel it stored."""

    code = "draw_in_progress"
