"""Settings and adapters, built once per cold start on first use (boto3 itself only on the first DynamoDB call)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Any

from pydantic import Field

from quorum_common.settings import EnvSettings, load_settings
from quorum_reviewer.service.ports import ReviewerPorts
from quorum_reviewer.service.rounds import DRAW_LEASE

API_MARGIN_MS = 5_000
WORKER_MARGIN_MS = 10_000


class ReviewerSettings(EnvSettings):
    """The reviewer functions' environment (names as template.yaml sets them)."""

    reviewer_table: str = Field(alias="QUORUM_REVIEWER_TABLE", min_length=3, max_length=255)


@cache
def ports() -> ReviewerPorts:
    """The DynamoDB adapters of the reviewer table named by the environment (imported here, on first use)."""
    from quorum_common.dynamo import Table
    from quorum_reviewer.adapters import dynamo_ports

    return dynamo_ports(Table(load_settings(ReviewerSettings).reviewer_table))


def time_left(context: Any, margin_ms: int = API_MARGIN_MS) -> Callable[[], bool]:
    """A `keep_going` for batch walks: stop while `margin_ms` of the invocation remain."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return (lambda: remaining() > margin_ms) if remaining else (lambda: True)


def invocation_lease(context: Any) -> timedelta:
    """How long this invocation can still run: a draw's round reservation lasts no longer."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return timedelta(milliseconds=remaining()) if remaining else DRAW_LEASE
