"""The HTTP edge shared by every API function: one resolver factory, one error format.

Every error leaves as `{"error": {"code", "message", "details"}}` (ARCHITECTURE.md §3); the
mapping from domain errors to statuses lives here and nowhere else.
"""

from __future__ import annotations

import inspect
import json
import re
import threading
from collections.abc import Callable, Mapping
from functools import cache
from typing import Annotated, Any, TypeVar, get_args, get_origin, get_type_hints

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType, RequestValidationError
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, ConfigDict

from quorum_common import errors
from quorum_common.auth import GROUPS, Caller, caller_from_event
from quorum_common.idempotency import InvalidIdempotencyKey
from quorum_common.jsonbody import BodyRefused, body_text, check_body, declared_not_json, media_type

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


def _is_form(app: APIGatewayHttpResolver) -> bool:
    return media_type(app.current_event.raw_event) in ("application/x-www-form-urlencoded", "multipart/form-data")


NOT_JSON = errors.UnsupportedMediaType("Send the body as application/json.")


def _only_idempotency_key(exc: RequestValidationError) -> bool:
    return all(tuple(err.get("loc", ()))[:2] == ("header", "idempotency-key") for err in exc.errors())


def _is_malformed(exc: RequestValidationError) -> bool:
    return any(err.get("type") == "json_invalid" for err in exc.errors())


_request = threading.local()
Roles = tuple[str, ...]
_PARAM = re.compile(r"<(\w+)>")
F = TypeVar("F", bound=Callable[..., Any])


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


def allow(*groups: str) -> Callable[[F], F]:
    """Declare who may call a route: `@allow("ops")` under the route decorator; `@allow()` is public.

    The one declaration feeds both the check made before the body is validated (a wrong role is
    403 whatever it sent) and `current_caller()` in the route.
    """
    unknown = set(groups) - GROUPS
    if unknown:
        raise ValueError(f"unknown groups {sorted(unknown)}")

    def mark(func: F) -> F:
        func.__quorum_roles__ = tuple(groups)  # type: ignore[attr-defined]
        return func
    return mark


def refuses(*statuses: int) -> Callable[[F], F]:
    """Declare the route-specific refusals (404, 409, 429 ...) its OpenAPI operation documents."""
    unknown = set(statuses) - set(ERROR_MEANINGS)
    if unknown:
        raise ValueError(f"undocumented statuses {sorted(unknown)}")

    def mark(func: F) -> F:
        func.__quorum_refuses__ = tuple(statuses)  # type: ignore[attr-defined]
        return func
    return mark


def route_key(method: str, rule: str) -> str:
    """API Gateway's route key of a Powertools rule: `PUT /v1/policies/<module>` -> `PUT /v1/policies/{module}`."""
    return method.upper() + " " + _PARAM.sub(r"{\1}", rule)


def contract_responses(func: Callable[..., Any], status: int, roles: Roles | None) -> dict[int, Any]:
    """The OpenAPI responses of a route: its model at its real status, and every error it can answer."""
    hints = get_type_hints(func, include_extras=True)
    model = hints.get("return")
    success: dict[str, Any] = {"description": "Success"}
    if model is not None:
        success["content"] = {content_types.APPLICATION_JSON: {"model": model}}
    params = [name for name in hints if name != "return"]
    bodies = [name for name in params if _is_model(hints[name])]
    # Powertools documents a 422 on every validated route: give it the error format even without parameters.
    codes = {422, 500, 503, *getattr(func, "__quorum_refuses__", ())}
    codes |= {401, 403} if roles else set()
    codes |= {400, 415} if bodies else set()
    errors = {code: {"description": ERROR_MEANINGS[code],
                     "content": {content_types.APPLICATION_JSON: {"model": ErrorBody}}} for code in sorted(codes)}
    return {status: success, **errors}


def _is_model(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


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
        refused = self._refuse_wrong_role(event) or _refuse_bad_body(event)
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
            return _early_answer(exc)
        return None


def _early_answer(exc: errors.QuorumError) -> dict[str, Any]:
    """The API Gateway response of an error found before Powertools routes the request."""
    return {"statusCode": status_for(exc), "headers": {"Content-Type": content_types.APPLICATION_JSON},
            "body": json.dumps(error_body(exc.code, exc.message, exc.details)), "isBase64Encoded": False}


def _refuse_bad_body(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """Answer 415 for a body declared as something other than JSON (Powertools would parse a form or a
    multipart body itself, and fails on a multipart one without a boundary), and 422 for a JSON body too
    deep, with a duplicate key or a control character (quorum_common.jsonbody)."""
    if declared_not_json(event):
        return _early_answer(NOT_JSON)
    text = body_text(event)
    if text is None:
        return None
    try:
        check_body(text)
    except BodyRefused as refused:
        return _early_answer(refused)
    return None


def _is_response_defect(exc: RequestValidationError) -> bool:
    return any(tuple(err.get("loc", ()))[:1] == ("response",) for err in exc.errors())


def create_app(logger: Logger, *routers: QuorumRouter,
               roles: Mapping[str, Roles] | None = None) -> ThreadLocalHttpResolver:
    """An HTTP API (payload 2.0) resolver with validation on, Quorum's error format, and `routers`.

    Each route's `@allow` groups are checked before anything else, so a wrong role is 403 whatever
    the body; `roles` adds checks by API Gateway route key for routes declared elsewhere (tests).
    """
    app = ThreadLocalHttpResolver(enable_validation=True)
    app.roles.update(roles or {})

    @app.exception_handler(errors.QuorumError)
    def _domain_error(exc: errors.QuorumError) -> Response:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, errors.RateLimited) else None
        return error_response(status_for(exc), exc.code, exc.message, exc.details, headers)

    @app.exception_handler(RequestUnsupportedContentType)
    def _not_json(exc: Exception) -> Response:
        return _domain_error(NOT_JSON)

    @app.exception_handler(RequestValidationError)
    def _invalid_request(exc: RequestValidationError) -> Response:
        if _is_response_defect(exc):  # our response broke its own model: a defect, not the caller's
            logger.error("response failed validation", extra={"errors": validation_details(exc)})
            return error_response(500, "internal_error", "Something went wrong on our side.")
        if _is_form(app):  # a form declared without a body: Powertools reads form fields, the caller sent the wrong type
            return _domain_error(NOT_JSON)
        if _is_malformed(exc):
            return error_response(400, "malformed_json", "The request body is not valid JSON.")
        if _only_idempotency_key(exc):  # the header's one rule has its own code (quorum_common.idempotency)
            bad = InvalidIdempotencyKey("Idempotency-Key must be 1-128 printable ASCII characters, without spaces.")
            return error_response(422, bad.code, bad.message)
        return error_response(422, "validation_error", "The request is invalid.", validation_details(exc))

    @app.not_found
    def _no_route(exc: NotFoundError) -> Response:
        return error_response(404, "route_not_found", "No such route.")

    @app.exception_handler(Exception)
    def _defect(exc: Exception) -> Response:
        logger.exception("unhandled error")
        return error_response(500, "internal_error", "Something went wrong on our side.")

    for router in routers:
        app.include_router(router)
    return app
