"""The resolver factory of every API function: validation on, and each failure in Quorum's error format."""

from __future__ import annotations

from collections.abc import Mapping

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType, RequestValidationError

from quorum_common import errors
from quorum_common.http.declarations import Roles
from quorum_common.http.error_format import error_response, status_for, validation_details
from quorum_common.http.refusals import NOT_JSON
from quorum_common.http.resolver import QuorumRouter, ThreadLocalHttpResolver
from quorum_common.idempotency import InvalidIdempotencyKey
from quorum_common.jsonbody import media_type
from quorum_common.vocabulary import unknown_module


def _is_form(app: APIGatewayHttpResolver) -> bool:
    return media_type(app.current_event.raw_event) in ("application/x-www-form-urlencoded", "multipart/form-data")


def _only_idempotency_key(exc: RequestValidationError) -> bool:
    return all(tuple(err.get("loc", ()))[:2] == ("header", "idempotency-key") for err in exc.errors())


def _names_an_unknown_module(exc: RequestValidationError) -> bool:
    """A `module` (path, query or body) that is there but not one of Quorum's: a missing one is a plain 422."""
    return any(tuple(err.get("loc", ()))[-1:] == ("module",) and err.get("type") != "missing" for err in exc.errors())


def _is_malformed(exc: RequestValidationError) -> bool:
    return any(err.get("type") == "json_invalid" for err in exc.errors())



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
        if _names_an_unknown_module(exc):  # one code on every route that takes a module, with every field's detail
            return _domain_error(unknown_module(validation_details(exc)))
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
