"""One way to build AWS clients: cached per process, with one botocore `Config`.

Every adapter asks `client("dynamodb")` (or `sns`, `stepfunctions`, `lambda`, ...) instead of
building its own. The clients share:

- standard retry mode (throttling and transient errors retried with backoff by botocore itself);
- short connect and read timeouts, except where a call legitimately waits (a synchronous Lambda
  invoke waits for the function, so its read timeout outlasts the longest worker's timeout);
- the host-prefix rule: behind a custom endpoint (`AWS_ENDPOINT_URL`, the local cloud) botocore
  must not prefix hosts (`DiscoverInstances` would go to `data-127.0.0.1`).

boto3 is imported on first use, so a handler that never calls AWS never pays for it.
"""

from __future__ import annotations

import os
import threading
from typing import Any

MAX_ATTEMPTS = 4
CONNECT_TIMEOUT = 2
READ_TIMEOUT = 10
# A synchronous invoke returns when the function does: the reviewer worker may run 60 s.
READ_TIMEOUTS = {"lambda": 70}

_lock = threading.Lock()
_sessions: dict[tuple[str | None, ...], Any] = {}
_clients: dict[tuple[Any, ...], Any] = {}


def custom_endpoint(service: str) -> str | None:
    """The endpoint override for `service` (AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL)."""
    specific = f"AWS_ENDPOINT_URL_{service.upper().replace('-', '_')}"
    return os.environ.get(specific) or os.environ.get("AWS_ENDPOINT_URL")


def _environment() -> tuple[str | None, ...]:
    # In Lambda these never change; the local cloud and tests switch them, and a client must follow.
    return tuple(os.environ.get(name) for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
                                                   "AWS_ENDPOINT_URL"))


def client(service: str) -> Any:
    """The process's client for `service`, built once per endpoint, region and credentials."""
    environment = _environment()
    key = (service, custom_endpoint(service), *environment)
    with _lock:  # botocore sessions are not safe to build clients from concurrently
        if key not in _clients:
            if environment not in _sessions:
                import boto3

                _sessions[environment] = boto3.session.Session()
            _clients[key] = _build(_sessions[environment], service, endpoint=key[1])
        return _clients[key]


def _build(session: Any, service: str, endpoint: str | None) -> Any:
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS}, connect_timeout=CONNECT_TIMEOUT,
                    read_timeout=READ_TIMEOUTS.get(service, READ_TIMEOUT), inject_host_prefix=endpoint is None)
    return session.client(service, config=config)


def forget_clients() -> None:
    """Drop every cached client and session (a test that replaces the credentials' source)."""
    with _lock:
        _clients.clear()
        _sessions.clear()


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore `ClientError` ('' for anything else)."""
    response = getattr(exc, "response", None)
    return str((response or {}).get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""
