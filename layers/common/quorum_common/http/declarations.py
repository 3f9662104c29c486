"""What a route declares next to itself: who may call it, what it refuses, its other successes.

The declarations feed both the checks made before routing (quorum_common.http.resolver) and the
route's OpenAPI responses (`contract_responses`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, get_args, get_origin, get_type_hints

from aws_lambda_powertools.event_handler import Response, content_types
from pydantic import BaseModel

from quorum_common.auth import GROUPS
from quorum_common.http.error_format import ERROR_MEANINGS, ErrorBody

Roles = tuple[str, ...]
_PARAM = re.compile(r"<(\w+)>")
F = TypeVar("F", bound=Callable[..., Any])


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


def also_succeeds(status: int, meaning: str) -> Callable[[F], F]:
    """Declare a second success of a route (`@also_succeeds(200, "the reporter already reported ...")`): its
    OpenAPI operation documents `status` with the same model as the route's own status; the route returns
    `answer(model, status)` when it applies."""
    if not 200 <= status < 300:
        raise ValueError(f"{status} is not a success")

    def mark(func: F) -> F:
        func.__quorum_also_succeeds__ = {**getattr(func, "__quorum_also_succeeds__", {}), status: meaning}  # type: ignore[attr-defined]
        return func
    return mark


def answer(body: BaseModel, status: int) -> Response[Any]:
    """A route's model at a status other than its route's own (one declared with `@also_succeeds`)."""
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)


def route_key(method: str, rule: str) -> str:
    """API Gateway's route key of a Powertools rule: `PUT /v1/policies/<module>` -> `PUT /v1/policies/{module}`."""
    return method.upper() + " " + _PARAM.sub(r"{\1}", rule)


def contract_responses(func: Callable[..., Any], status: int, roles: Roles | None) -> dict[int, Any]:
    """The OpenAPI responses of a route: its model at its real status, and every error it can answer."""
    hints = get_type_hints(func, include_extras=True)
    model = hints.get("return")
    if get_origin(model) is Response:  # `Response[Model]`: a route that also answers another status
        model = get_args(model)[0]
    content = {content_types.APPLICATION_JSON: {"model": model}} if model is not None else None
    successes = {code: {"description": meaning[:1].upper() + meaning[1:] + ".", **({"content": content} if content else {})}
                 for code, meaning in getattr(func, "__quorum_also_succeeds__", {}).items()}
    successes[status] = {"description": "Success", **({"content": content} if content else {})}
    params = [name for name in hints if name != "return"]
    bodies = [name for name in params if _is_model(hints[name])]
    # Powertools documents a 422 on every validated route: give it the error format even without parameters.
    codes = {422, 500, 503, *getattr(func, "__quorum_refuses__", ())}
    codes |= {401, 403} if roles else set()
    codes |= {400, 415} if bodies else set()
    errors = {code: {"description": ERROR_MEANINGS[code],
                     "content": {content_types.APPLICATION_JSON: {"model": ErrorBody}}} for code in sorted(codes)}
    return {**dict(sorted(successes.items())), **errors}


def _is_model(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)

