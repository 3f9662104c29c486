"""The resolver and routers of every API function: roles recorded per route, per-request state per thread."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from quorum_common import errors
from quorum_common.auth import Caller, caller_from_event
from quorum_common.http.declarations import F, Roles, contract_responses, route_key
from quorum_common.http.refusals import early_answer, refuse_bad_body

_request = threading.local()


@cache
def _route_signature() -> inspect.Signature:
    """Powertools' `route` signature, read once (not once per route: that is a cold-start cost)."""
    return inspect.signature(APIGatewayHttpRouter.route)


class _DeclaredRoles:
    """Records each route's `@allow` groups by route key (on a router a route without one is a defect),
    and documents its responses from its return model, its status and its refusals."""

    roles: dict[str, Roles]
    declarations_required = True

    def route(self, rule: str, method: Any, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        bound = _route_signature().bind(self, rule, method, *args, **kwargs)
        methods = (method,) if isinstance(method, str) else tuple(method)

        def decorator(func: F) -> F:
            declared = getattr(func, "__quorum_roles__", None)
            if declared is None and self.declarations_required:
                raise TypeError(f"{func.__name__}: declare who may call {rule} with @allow(...)")
            for m in methods:
                if declared:
                    self.roles[route_key(m, rule)] = declared
            if declared is not None and not bound.arguments.get("responses"):
                status = bound.arguments.get("status_code", 200)
                bound.arguments["responses"] = contract_responses(func, status, declared)
            arguments = {k: v for k, v in bound.arguments.items() if k != "self"}
            register = super(_DeclaredRoles, self).route(**arguments)  # type: ignore[misc]
            return register(func)
        return decorator


class QuorumRouter(_DeclaredRoles, APIGatewayHttpRouter):
    """A Powertools HTTP API router whose routes declare their roles with `@allow`."""

    def __init__(self) -> None:
        super().__init__()
        self.roles = {}


def current_caller() -> Caller:
    """The caller of the request being served, already checked against the route's `@allow` groups."""
    caller = getattr(_request, "caller", None)
    if caller is None:
        raise errors.Unauthenticated("A valid bearer token is required.", code="missing_token")
    return caller


class ThreadLocalHttpResolver(_DeclaredRoles, APIGatewayHttpResolver):
    """An HTTP API resolver whose per-request state (event, context, caller) belongs to the calling thread.

    Powertools keeps the current event on the resolver and its routers. A Lambda execution
    environment serves one request at a time, so that is harmless in AWS; the local cloud runs
    every handler in one process and serves requests on threads, where two requests would read
    each other's events (and callers' identities). Routers read through `api_resolver`, so they
    see the thread's event too.
    """

    declarations_required = False  # the app's own routes (health, tests' probes) may be undeclared

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.roles = {}

    @property
    def current_event(self) -> Any:
        return _request.event

    @current_event.setter
    def current_event(self, value: Any) -> None:
        _request.event = value

    @property
    def lambda_context(self) -> Any:
        return getattr(_request, "lambda_context", None)

    @lambda_context.setter
    def lambda_context(self, value: Any) -> None:
        _request.lambda_context = value

    @property
    def context(self) -> dict[str, Any]:
        if not hasattr(_request, "context"):
            _request.context = {}
        return _request.context

    @context.setter
    def context(self, value: dict[str, Any]) -> None:
        _request.context = value

    def include_router(self, router: Any, prefix: str | None = None) -> None:
        super().include_router(router, prefix)
        self.roles.update(getattr(router, "roles", {}))

    def resolve(self, event: Any, context: Any) -> dict[str, Any]:
        _request.caller = None
        refused = self._refuse_wrong_role(event) or refuse_bad_body(event)
        if refused is not None:
            return refused
        self.current_event = self._to_proxy_event(dict(event))
        self.lambda_context = context
        return super().resolve(event, context)

    def _refuse_wrong_role(self, event: Mapping[str, Any]) -> dict[str, Any] | None:
        """Answer 401/403 before the body is validated: a wrong role never learns the body's rules."""
        allowed = self.roles.get(str(event.get("routeKey", "")))
        if not allowed:
            return None
        try:
            _request.caller = caller_from_event(event).require(*allowed)
        except errors.QuorumError as exc:
            return early_answer(exc)
        return None
