"""The local HTTP API: routes from template.yaml, JWT checks, payload 2.0 events, Lambda invokes.

Plays the part of API Gateway's HTTP API with its JWT authorizer: each request is matched to the
function whose `HttpApi` event names its path and method, the bearer token is checked (HS256
with QUORUM_JWT_SECRET locally), the event is built as API Gateway would build it, and the
function's `live` alias is invoked through moto - so the request runs the real handler.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from quorum_common.http import error_body
from quorum_local import signin, tokens
from quorum_local.template import Template

MAX_BODY_BYTES = 1024 * 1024  # API Gateway's 10 MB is far above anything Quorum accepts


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function_name: str
    needs_auth: bool

    def pattern(self) -> re.Pattern[str]:
        """`{name}` takes one segment; a greedy `{name+}` (last in the path) takes one or more."""
        greedy = re.sub(r"\{(\w+)\+\}", r"(?P<\1>.+)", self.path)
        return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", greedy) + "$")

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"


def routes_from(template: Template) -> list[Route]:
    """Every HttpApi event of every function in the template."""
    found = []
    for lid in template.of_type("AWS::Serverless::Function"):
        props = template.properties(lid)
        for event in props.get("Events", {}).values():
            if event["Type"] != "HttpApi":
                continue
            ev = event["Properties"]
            public = ev.get("Auth", {}).get("Authorizer") == "NONE"
            found.append(Route(ev["Method"].upper(), ev["Path"], props["FunctionName"], not public))
    return found


class Router:
    """Finds the route of a request, telling 'no such path' (404) from 'wrong method' (405)."""

    def __init__(self, routes: list[Route]):
        self.routes = [(route, route.pattern()) for route in routes]  # compiled once, not per request

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], list[str]]:
        found = self._match(method, path)
        if found[0] is None and not found[2] and len(path) > 1 and path.endswith("/"):
            return self._match(method, path.rstrip("/"))  # API Gateway routes `/console/` to `/console`
        return found

    def _match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], list[str]]:
        allowed = []
        for route, pattern in self.routes:
            m = pattern.match(path)
            if m is None:
                continue
            if route.method == method:
                return route, m.groupdict(), []
            allowed.append(route.method)
        return None, {}, allowed


class Gateway:
    """A threaded HTTP server in front of the stack's API functions."""

    def __init__(self, template: Template, lambda_client: Any, secret: str):
        self.router = Router(routes_from(template))
        self.lambda_client = lambda_client
        self.secret = secret
        self.issuer = template.parameters["JwtIssuer"]
        self.audience = template.parameters["JwtAudience"]
        self.server: ThreadingHTTPServer | None = None
        self.sign_in = signin.LocalSignIn(secret, self.issuer, self.audience)  # the local cloud's own endpoint

    def start(self, host: str, port: int) -> ThreadingHTTPServer:
        gateway = self

        class Handler(_RequestHandler):
            owner = gateway

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="quorum-gateway", daemon=True).start()
        return self.server

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def claims_for(self, authorization: str | None) -> dict[str, str]:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise tokens.InvalidToken("missing bearer token")
        return tokens.flatten_claims(tokens.verify(token.strip(), self.secret, issuer=self.issuer, audience=self.audience))

    def invoke(self, route: Route, event: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        response = self.lambda_client.invoke(FunctionName=route.function_name, Qualifier="live",
                                             Payload=json.dumps(event).encode())
        payload = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError") or not isinstance(payload, dict) or "statusCode" not in payload:
            return 500, {"content-type": "application/json"}, _json(error_body(
                "internal_error", "The function failed; see the local cloud's log."))
        body = payload.get("body") or ""
        raw = base64.b64decode(body) if payload.get("isBase64Encoded") else body.encode()
        return int(payload["statusCode"]), {k.lower(): str(v) for k, v in (payload.get("headers") or {}).items()}, raw


def build_event(route: Route, method: str, url: str, headers: dict[str, str], body: str | None,
                path_params: dict[str, str], claims: dict[str, Any] | None, source_ip: str) -> dict[str, Any]:
    """An HTTP API payload 2.0 event, as API Gateway builds it."""
    parts = urlsplit(url)
    query: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):  # API Gateway joins repeats with commas
        query[key] = f"{query[key]},{value}" if key in query else value
    now = time.time()
    context: dict[str, Any] = {
        "accountId": "123456789012", "apiId": "local", "domainName": headers.get("host", "127.0.0.1"),
        "domainPrefix": "local", "requestId": str(uuid.uuid4()), "routeKey": route.route_key, "stage": "$default",
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)), "timeEpoch": int(now * 1000),
        "http": {"method": method, "path": parts.path, "protocol": "HTTP/1.1", "sourceIp": source_ip,
                 "userAgent": headers.get("user-agent", "")},
    }
    if claims is not None:
        context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return {
        "version": "2.0", "routeKey": route.route_key, "rawPath": parts.path, "rawQueryString": parts.query,
        "headers": headers, "queryStringParameters": query or None, "pathParameters": path_params or None,
        "requestContext": context, "body": body, "isBase64Encoded": False,
    }


@cache
def local_router() -> Router:
    return Router(routes_from(Template.load("local")))


def event_for(method: str, path: str, *, body: str | None = None, claims: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None, query: dict[str, str] | None = None) -> dict[str, Any]:
    """The event the local gateway builds for this request, for tests and benches that call a handler
    directly: the route key is the template's, the claims are passed as given (None: no authorizer)."""
    route, params, _ = local_router().match(method, path)
    route = route or Route(method, path, "", True)  # not a route of the API: the handler answers 404
    url = path + (f"?{urlencode(query)}" if query else "")
    all_headers = {"content-type": "application/json", **{k.lower(): v for k, v in (headers or {}).items()}}
    return build_event(route, method, url, all_headers, body, params, claims, "127.0.0.1")


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


class _RequestHandler(BaseHTTPRequestHandler):
    owner: Gateway
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt: str, *args: Any) -> None:  # one line per request, on stderr
        super().log_message(fmt, *args)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        headers = {"content-type": "application/json", **headers}
        for key, value in headers.items():
            if key not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, headers or {}, _json(error_body(code, message)))

    def _handle(self) -> None:
        method, path = self.command.upper(), urlsplit(self.path).path
        try:
            length = int(self.headers.get("content-length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return self._error(400, "bad_request", "The Content-Length header is not a length.")
        if length > MAX_BODY_BYTES:
            return self._error(413, "payload_too_large", "The request body is too large.")
        body = self.rfile.read(length) if length else b""
        if path == signin.PATH:
            return self._send(*self.owner.sign_in.answer(method, body))
        route, params, allowed = self.owner.router.match(method, path)
        if route is None and allowed:
            return self._error(405, "method_not_allowed", f"{method} is not allowed on {path}.",
                               {"allow": ", ".join(sorted(set(allowed)))})
        if route is None:
            return self._error(404, "route_not_found", f"No route for {method} {path}.")
        headers = {k.lower(): v for k, v in self.headers.items()}
        claims = None
        if route.needs_auth:
            try:
                claims = self.owner.claims_for(headers.get("authorization"))
            except tokens.InvalidToken as exc:
                return self._error(401, "unauthorized", f"A valid bearer token is required ({exc}).",
                                   {"www-authenticate": "Bearer"})
        text = body.decode("utf-8", errors="replace") or None
        event = build_event(route, method, self.path, headers, text, params, claims, self.client_address[0])
        self._send(*self.owner.invoke(route, event))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _handle

    def __getattr__(self, name: str) -> Any:
        """Any other method (TRACE, made-up ones) is routed too - 405 or 404 in the error format, not
        http.server's HTML 501."""
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def do_HEAD(self) -> None:  # answered like GET's status, without a body: routes here are JSON-only
        self._error(405, "method_not_allowed", "HEAD is not served; use GET.")
