"""The local gateway over a real socket, with a recording stand-in for Lambda: what a client sees at the edge
(limits, methods, the bearer rule, repeated headers, many clients at once) - issue 15, items 5 and 14."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from quorum_local import tokens
from quorum_local.gateway import MAX_REQUEST_LINE_AND_HEADERS, Gateway
from quorum_local.server import HOST, free_port
from quorum_local.template import Template

SECRET = "a-local-secret-of-enough-length!!"
CONCURRENT_CLIENTS = 30


class RecordingLambda:
    """Answers every invoke with 200 and keeps the events it was given."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def invoke(self, FunctionName: str, Qualifier: str, Payload: bytes) -> dict[str, Any]:
        with self.lock:
            self.events.append(json.loads(Payload))
        answer = {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": '{"ok": true}'}
        return {"Payload": io.BytesIO(json.dumps(answer).encode())}


@pytest.fixture(scope="module")
def template() -> Template:
    return Template.load("local")


@pytest.fixture(scope="module")
def running(template: Template) -> Iterator[tuple[str, RecordingLambda, Template]]:
    fake = RecordingLambda()
    gw = Gateway(template, fake, SECRET)
    port = free_port()
    gw.start(HOST, port)
    try:
        yield f"http://{HOST}:{port}", fake, template
    finally:
        gw.stop()


@pytest.fixture
def gateway(running: tuple[str, RecordingLambda, Template]) -> tuple[str, RecordingLambda, Template]:
    running[1].events.clear()  # one server for the module (a stop waits out its 0.5 s poll); events per test
    return running


def _token(template: Template, *groups: str) -> str:
    params = template.parameters
    return tokens.mint(SECRET, "u-1", list(groups), issuer=params["JwtIssuer"], audience=params["JwtAudience"])


def _raw(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _status_and_json(raw: bytes) -> tuple[int, str, dict[str, Any]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    content_type = next(line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("content-type"))
    return int(lines[0].split()[1]), content_type, json.loads(body)


@pytest.mark.parametrize(("request_bytes", "status", "code"), [
    # API Gateway's HTTP API quota: request line and header values, 10,240 bytes together
    (b"GET /v1/health?" + b"q" * MAX_REQUEST_LINE_AND_HEADERS + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
    (b"GET /v1/health?" + b"q" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),  # stdlib's own limit
    (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * MAX_REQUEST_LINE_AND_HEADERS + b"\r\n\r\n", 431,
     "headers_too_large"),
    (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70_000 + b"\r\n\r\n", 431, "headers_too_large"),
    (b"GET /v1/health HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(120)) + b"\r\n", 431,
     "headers_too_large"),
    (b"GET /v1/health HTTP/9.9\r\nHost: x\r\n\r\n", 505, "http_version_not_supported"),
    (b"G E T\r\n\r\n", 400, "bad_request"),
], ids=["line-over-quota", "line-over-stdlib-limit", "header-over-quota", "header-over-stdlib-limit",
        "120-headers", "http-9.9", "not-http"])
def test_what_the_standard_library_refuses_is_answered_in_the_error_format(
        gateway: tuple[str, RecordingLambda, Template], request_bytes: bytes, status: int, code: str) -> None:
    url, fake, _ = gateway
    got_status, content_type, body = _status_and_json(_raw(url, request_bytes))
    assert (got_status, content_type, body["error"]["code"]) == (status, "application/json", code)
    assert set(body["error"]) == {"code", "message", "details"} and not fake.events


def test_a_request_just_under_the_limit_reaches_the_function(gateway: tuple[str, RecordingLambda, Template]) -> None:
    url, fake, _ = gateway
    answer = requests.get(f"{url}/v1/health", headers={"X-Pad": "p" * (MAX_REQUEST_LINE_AND_HEADERS - 200)}, timeout=10)
    assert answer.status_code == 200 and len(fake.events) == 1


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("PROPFIND", "/v1/health", 405, "method_not_allowed"),
    ("TRACE", "/v1/cases", 405, "method_not_allowed"),
    ("BREW", "/nowhere", 404, "route_not_found"),
])
def test_every_method_is_routed_and_refused_in_the_error_format(
        gateway: tuple[str, RecordingLambda, Template], method: str, path: str, status: int, code: str) -> None:
    url, fake, _ = gateway
    answer = requests.request(method, url + path, timeout=10)
    assert (answer.status_code, answer.headers["content-type"], answer.json()["error"]["code"]) == (
        status, "application/json", code)
    assert not fake.events


def test_methods_are_case_sensitive(gateway: tuple[str, RecordingLambda, Template]) -> None:
    url, fake, _ = gateway
    status, _, body = _status_and_json(_raw(url, b"get /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
    assert (status, body["error"]["code"]) == (405, "method_not_allowed") and not fake.events


@pytest.mark.parametrize("authorization", ["Bearer {t}", "bearer {t}", "{t}", "Bearer   {t}  "])
def test_the_token_is_taken_with_or_without_the_bearer_prefix(gateway: tuple[str, RecordingLambda, Template],
                                                              authorization: str) -> None:
    # API Gateway's JWT authorizer: "The identitySource can include only the token, or the token prefixed with Bearer"
    url, fake, template = gateway
    answer = requests.get(f"{url}/v1/policies", timeout=10,
                          headers={"Authorization": authorization.format(t=_token(template, "ops"))})
    assert answer.status_code == 200
    assert fake.events[-1]["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] == "u-1"


@pytest.mark.parametrize("authorization", ["", "Bearer", "Bearer ", "Basic dTpw", "Bearer not-a-jwt"])
def test_anything_else_in_authorization_is_a_401(gateway: tuple[str, RecordingLambda, Template],
                                                 authorization: str) -> None:
    url, fake, _ = gateway
    answer = requests.get(f"{url}/v1/policies", headers={"Authorization": authorization}, timeout=10)
    assert (answer.status_code, answer.json()["error"]["code"]) == (401, "unauthorized") and not fake.events


def test_a_repeated_authorization_header_is_joined_with_a_comma_and_refused(
        gateway: tuple[str, RecordingLambda, Template]) -> None:
    url, fake, template = gateway
    token = _token(template, "ops")
    raw = _raw(url, (f"GET /v1/policies HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n"
                     f"Authorization: Bearer {token}\r\n\r\n").encode())
    assert _status_and_json(raw)[0] == 401 and not fake.events


def test_repeated_headers_reach_the_function_joined_with_commas_and_cookies_apart(
        gateway: tuple[str, RecordingLambda, Template]) -> None:
    url, fake, _ = gateway
    raw = _raw(url, b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Tag: a\r\nx-tag: b\r\n"
                    b"Cookie: s=1; t=2\r\nCookie: u=3\r\n\r\n")
    assert _status_and_json(raw)[0] == 200
    event = fake.events[-1]
    assert event["headers"]["x-tag"] == "a,b" and "cookie" not in event["headers"]
    assert event["cookies"] == ["s=1", "t=2", "u=3"]


def test_thirty_clients_at_once_all_get_answers(gateway: tuple[str, RecordingLambda, Template]) -> None:
    # With the stdlib's listen backlog of 5, about half of these were reset by the kernel (issue 15, item 14).
    url, fake, template = gateway
    start, auth = threading.Barrier(CONCURRENT_CLIENTS), {"Authorization": f"Bearer {_token(template, 'module')}"}

    def client(_: int) -> int:
        start.wait()
        return requests.post(f"{url}/v1/reports", data=b'{"reason": "spam"}', headers=auth, timeout=30).status_code

    with ThreadPoolExecutor(CONCURRENT_CLIENTS) as pool:
        statuses = list(pool.map(client, range(CONCURRENT_CLIENTS)))
    assert statuses == [200] * CONCURRENT_CLIENTS and len(fake.events) == CONCURRENT_CLIENTS


def test_stop_frees_the_port_and_is_harmless_before_a_start_or_twice(template: Template) -> None:
    gw = Gateway(template, RecordingLambda(), SECRET)
    gw.stop()  # never started: what LocalCloud.stop does after a start that failed early
    port = free_port()
    gw.start(HOST, port)
    gw.stop()
    gw.stop()  # twice is harmless
    with socket.socket() as sock:
        assert sock.connect_ex((HOST, port)) != 0
