"""Call another capability: discover it in Cloud Map, invoke its Lambda, map its errors back.

This is Quorum's Dubbo: `RpcClient.call("reviewer", "draw_panel", {...}, user_id=...)` picks an
instance (pinned track, else the sticky canary share, else stable; see `quorum_common.discovery`),
invokes its alias ARN with `{"action": action, **payload}` and returns the parsed result. Inside
a state-machine task that pins the service (`quorum_common.pins`) it invokes the pinned version.

A remote failure comes back as the caller's own domain error when its type is one of
`quorum_common.errors` (NotFound, Conflict, InvalidInput, ...), so a 404 over there is a 404
here; any other failure is a `RemoteError`: a defect of the callee, not the caller's mistake.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from quorum_common import aws, errors, pins
from quorum_common.discovery import Instance, ServiceRegistry, pick_instance
from quorum_common.errors import QuorumError, RateLimited, ServiceUnavailable

_GONE = ("ResourceNotFoundException",)  # a registered ARN that no longer exists


class RemoteError(Exception):
    """The called capability failed with something other than a domain error (a defect there)."""

    def __init__(self, service: str, action: str, error_type: str, message: str):
        super().__init__(f"{service}.{action} failed: {error_type}: {message}")
        self.service = service
        self.action = action
        self.error_type = error_type
        self.message = message


class RpcClient:
    """Invokes capabilities found through a `ServiceRegistry`.

    `canary_percent` overrides, per service, the share of users the registry's canary instance
    asks for (e.g. `{"reviewer": 0}` to keep this caller off a canary). `lambda_client` is a
    boto3 Lambda client, built on first use when not given.
    """

    def __init__(self, registry: ServiceRegistry, *, lambda_client: Any = None,
                 canary_percent: Mapping[str, float] | None = None,
                 choice: Callable[[Sequence[Instance]], Instance] = random.choice):
        self.registry = registry
        self._lambda = lambda_client
        self._canary_percent = dict(canary_percent or {})
        self._choice = choice

    def route(self, service: str, *, user_id: str | None = None, track: str | None = None) -> Instance:
        """The instance a call would go to; ServiceUnavailable when there is none."""
        instances = self.registry.instances(service)
        where = f"namespace {self.registry.namespace!r}"
        if not instances:
            raise ServiceUnavailable(f"no healthy instance of service {service!r} is registered in {where}",
                                     code="service_not_registered")
        chosen = pick_instance(instances, user_id=user_id, track=track,
                               canary_percent=self._canary_percent.get(service), choice=self._choice)
        if chosen is None:
            raise ServiceUnavailable(f"no {track} instance of service {service!r} is registered in {where}",
                                     code="track_not_registered")
        return chosen

    def call(self, service: str, action: str, payload: Mapping[str, Any] | None = None, *,
             user_id: str | None = None, track: str | None = None, asynchronous: bool = False) -> Any:
        """Run `action` on `service`; returns its result (None when `asynchronous`)."""
        body = dict(payload or {})
        if "action" in body:
            raise ValueError("the payload must not carry 'action'; pass it as the action argument")
        instance = self.route(service, user_id=user_id, track=track)
        response = self._invoke(service, instance, {"action": action, **body}, asynchronous)
        if asynchronous:
            return None
        raw = response["Payload"].read()
        if response.get("FunctionError"):
            raise remote_failure(service, action, raw)
        return json.loads(raw) if raw else None

    # ------------------------------------------------------------------ internals
    def _invoke(self, service: str, instance: Instance, event: dict[str, Any], asynchronous: bool) -> dict[str, Any]:
        from botocore.exceptions import BotoCoreError, ClientError

        target = pins.pinned(service) or instance.alias_arn
        try:
            return self.lambda_client.invoke(
                FunctionName=target, InvocationType="Event" if asynchronous else "RequestResponse",
                Payload=json.dumps(event, default=str).encode(),
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _GONE:
                self.registry.invalidate(service)  # the registry pointed at something deleted
            raise ServiceUnavailable(f"could not invoke {service!r} at {target} ({code})",
                                     code="invoke_failed") from exc
        except BotoCoreError as exc:
            raise ServiceUnavailable(f"could not reach {service!r} at {target}",
                                     code="invoke_failed") from exc

    @property
    def lambda_client(self) -> Any:
        if self._lambda is None:
            self._lambda = aws.client("lambda")
        return self._lambda


def remote_failure(service: str, action: str, raw: bytes) -> Exception:
    """The exception a FunctionError payload stands for: a domain error of ours, or RemoteError."""
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    error_type = str(body.get("errorType") or "Unhandled")
    message = str(body.get("errorMessage") or raw.decode(errors="replace")[:500] or "no error message")
    return domain_error(error_type, message) or RemoteError(service, action, error_type, message)


def domain_error(error_type: str, message: str) -> QuorumError | None:
    """`error_type` as one of quorum_common.errors' classes, or None if it names none."""
    cls = getattr(errors, error_type, None)
    if not (isinstance(cls, type) and issubclass(cls, QuorumError)):
        return None
    if cls is RateLimited:
        return RateLimited(message, retry_after=1)  # the remote's Retry-After does not survive Lambda's error format
    return cls(message)


@cache
def default_client() -> RpcClient:
    """The process's client, for the namespace in `QUORUM_NAMESPACE` (built once, on first use)."""
    namespace = os.environ.get("QUORUM_NAMESPACE")
    if not namespace:
        raise ServiceUnavailable("QUORUM_NAMESPACE is not set: no Cloud Map namespace to discover services in",
                                 code="namespace_not_configured")
    return RpcClient(ServiceRegistry(namespace))
