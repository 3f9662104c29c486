"""The one error format, and the status of each kind of domain error."""

from __future__ import annotations

import json

import pytest
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, Field

from quorum_common import errors
from quorum_common.http import create_app, status_for

app = create_app(Logger(service="test"))


class Body(BaseModel):
    name: str = Field(max_length=5)


@app.post("/things")
def create_thing(body: Body) -> dict:
    if body.name == "taken":
        raise errors.Conflict("That name is taken.", code="name_taken")
    if body.name == "slow":
        raise errors.RateLimited("Too many.", retry_after=42)
    if body.name == "boom":
        raise RuntimeError("a defect")
    return {"name": body.name}


def _call(method: str, path: str, body: str | None) -> tuple[int, dict, dict]:
    event = {"version": "2.0", "routeKey": f"{method} {path}", "rawPath": path, "rawQueryString": "",
             "headers": {"content-type": "application/json"}, "body": body, "isBase64Encoded": False,
             "requestContext": {"http": {"method": method, "path": path, "sourceIp": "127.0.0.1"},
                                "requestId": "r", "stage": "$default"}}
    response = app.resolve(event, None)
    return response["statusCode"], json.loads(response["body"]), response.get("headers", {})


def test_statuses_follow_the_error_kind() -> None:
    assert status_for(errors.NotFound("x")) == 404
    assert status_for(errors.Conflict("x")) == 409
    assert status_for(errors.InvalidInput("x")) == 422
    assert status_for(errors.PermissionDenied("x")) == 403


def test_malformed_json_is_400_and_invalid_body_422_with_details() -> None:
    status, body, _ = _call("POST", "/things", "{oops")
    assert (status, body["error"]["code"]) == (400, "malformed_json")
    status, body, _ = _call("POST", "/things", json.dumps({"name": "far too long"}))
    assert (status, body["error"]["code"]) == (422, "validation_error")
    assert body["error"]["details"][0]["field"] == "body.name"
    assert "far too long" not in json.dumps(body)  # the caller's values are not echoed


def test_domain_errors_keep_their_code_and_rate_limits_say_when_to_retry() -> None:
    status, body, _ = _call("POST", "/things", json.dumps({"name": "taken"}))
    assert (status, body) == (409, {"error": {"code": "name_taken", "message": "That name is taken.", "details": []}})
    status, body, headers = _call("POST", "/things", json.dumps({"name": "slow"}))
    assert (status, headers.get("Retry-After")) == (429, "42")


def test_unknown_route_and_defects_keep_the_format() -> None:
    status, body, _ = _call("GET", "/nowhere", None)
    assert (status, body["error"]["code"]) == (404, "route_not_found")
    status, body, _ = _call("POST", "/things", json.dumps({"name": "boom"}))
    assert (status, body["error"]["code"]) == (500, "internal_error")
    assert "a defect" not in json.dumps(body)


class Out(BaseModel):
    count: int


@app.get("/broken")
def broken() -> Out:
    return {"count": "not a number"}  # type: ignore[return-value]


def test_a_response_that_breaks_its_own_model_is_a_500_not_the_callers_fault() -> None:
    status, body, _ = _call("GET", "/broken", None)
    assert (status, body["error"]["code"]) == (500, "internal_error")


def test_concurrent_requests_each_see_their_own_event() -> None:
    import threading

    seen: dict[str, str] = {}
    barrier = threading.Barrier(8)

    @app.get("/whoami/<name>")
    def whoami(name: str) -> dict:
        barrier.wait(timeout=5)  # every request is inside the resolver at once
        return {"path": app.current_event.path, "name": name}

    def call(i: int) -> None:
        status, body, _ = _call("GET", f"/whoami/u{i}", None)
        seen[f"u{i}"] = body["path"]

    threads = [threading.Thread(target=call, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {f"u{i}": f"/whoami/u{i}" for i in range(8)}


def test_a_body_that_is_not_json_is_415_not_a_defect() -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data",
                         "multipart/form-data; boundary=x", "application/octet-stream", "image/png"):
        event = {"version": "2.0", "routeKey": "POST /things", "rawPath": "/things", "rawQueryString": "",
                 "headers": {"content-type": content_type}, "body": '{"name": "ok"}', "isBase64Encoded": False,
                 "requestContext": {"http": {"method": "POST", "path": "/things", "sourceIp": "127.0.0.1"},
                                    "requestId": "r", "stage": "$default"}}
        response = app.resolve(event, None)
        body = json.loads(response["body"])
        assert (response["statusCode"], body["error"]["code"]) == (415, "unsupported_media_type"), content_type
        assert "name" not in json.dumps(body)


def test_declared_roles_are_checked_before_the_body() -> None:
    gated = create_app(Logger(service="test"), roles={"POST /gated": ("ops",)})

    @gated.post("/gated")
    def post_gated(body: Body) -> dict:
        return {"name": body.name}

    def call(claims: dict | None, body: str) -> tuple[int, str]:
        context = {"http": {"method": "POST", "path": "/gated", "sourceIp": "127.0.0.1"}, "requestId": "r",
                   "stage": "$default"}
        if claims is not None:
            context["authorizer"] = {"jwt": {"claims": claims}}
        event = {"version": "2.0", "routeKey": "POST /gated", "rawPath": "/gated", "rawQueryString": "",
                 "headers": {"content-type": "application/json"}, "body": body, "isBase64Encoded": False,
                 "requestContext": context}
        response = gated.resolve(event, None)
        return response["statusCode"], json.loads(response["body"]).get("error", {}).get("code", "")

    assert call({"sub": "u-1", "groups": "[user]"}, "{}") == (403, "wrong_role")
    assert call(None, "{}") == (401, "missing_token")
    assert call({"sub": "o-1", "groups": "[ops]"}, "{}") == (422, "validation_error")
    assert call({"sub": "o-1", "groups": "[ops]"}, '{"name": "ok"}') == (200, "")


class Made(BaseModel):
    name: str
    by: str


def test_a_routes_one_declaration_sets_its_roles_its_caller_and_its_documented_contract() -> None:
    from quorum_common.http import ErrorBody, QuorumRouter, allow, current_caller, refuses

    router = QuorumRouter()

    @router.post("/made", status_code=201)
    @allow("ops")
    @refuses(409)
    def make(body: Body) -> Made:
        return Made(name=body.name, by=current_caller().sub)

    made = create_app(Logger(service="test"), router)
    assert made.roles == {"POST /made": ("ops",)}
    event = {"version": "2.0", "routeKey": "POST /made", "rawPath": "/made", "rawQueryString": "",
             "headers": {"content-type": "application/json"}, "body": '{"name": "ok"}', "isBase64Encoded": False,
             "requestContext": {"http": {"method": "POST", "path": "/made", "sourceIp": "127.0.0.1"}, "requestId": "r",
                                "stage": "$default", "authorizer": {"jwt": {"claims": {"sub": "o-1", "groups": "[ops]"}}}}}
    response = made.resolve(event, None)
    assert (response["statusCode"], json.loads(response["body"])) == (201, {"name": "ok", "by": "o-1"})
    operation = json.loads(made.get_openapi_json_schema())["paths"]["/made"]["post"]
    assert sorted(operation["responses"]) == ["201", "400", "401", "403", "409", "415", "422", "500", "503"]
    assert operation["responses"]["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Made"}
    error_schema = operation["responses"]["409"]["content"]["application/json"]["schema"]
    assert error_schema == {"$ref": f"#/components/schemas/{ErrorBody.__name__}"}


def test_a_route_that_also_succeeds_answers_and_documents_both_statuses_with_one_model() -> None:
    from quorum_common.http import QuorumRouter, allow, also_succeeds, answer

    router = QuorumRouter()

    @router.post("/made", status_code=201)
    @allow()
    @also_succeeds(200, "it was made before")
    def make(body: Body) -> Response[Made]:
        return answer(Made(name=body.name, by="x"), 200 if body.name == "old" else 201)

    made = create_app(Logger(service="test"), router)

    def status(name: str) -> tuple[int, dict]:
        event = {"version": "2.0", "routeKey": "POST /made", "rawPath": "/made", "rawQueryString": "",
                 "headers": {"content-type": "application/json"}, "body": json.dumps({"name": name}),
                 "isBase64Encoded": False, "requestContext": {"http": {"method": "POST", "path": "/made",
                                                                       "sourceIp": "127.0.0.1"},
                                                              "requestId": "r", "stage": "$default"}}
        response = made.resolve(event, None)
        return response["statusCode"], json.loads(response["body"])

    assert status("new") == (201, {"name": "new", "by": "x"})
    assert status("old") == (200, {"name": "old", "by": "x"})
    responses = json.loads(made.get_openapi_json_schema())["paths"]["/made"]["post"]["responses"]
    model = {"$ref": "#/components/schemas/Made"}
    assert [responses[c]["content"]["application/json"]["schema"] for c in ("200", "201")] == [model, model]
    assert responses["200"]["description"] == "It was made before."
    with pytest.raises(ValueError, match="not a success"):
        also_succeeds(409, "a refusal is not a success")


def test_a_router_route_without_a_declared_role_is_refused_at_import() -> None:
    from quorum_common.http import QuorumRouter

    router = QuorumRouter()
    with pytest.raises(TypeError, match="@allow"):
        @router.get("/undeclared")
        def undeclared() -> dict:
            return {}


@pytest.mark.parametrize(("body", "code"), [
    ("[" * 1000 + "]" * 1000, "body_too_deep"),  # 2 KB: the parser's recursion limit, a 500 before
    ('{"name": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}", "body_too_deep"),
    ('{"name": "ok", "name": "ops"}', "duplicate_key"),
    ('{"name": "a\\u0000b"}', "control_character"),
    ('{"name": "a\\u001bb"}', "control_character"),
    ('{"na\\u0000me": "x"}', "control_character"),
])
def test_a_body_too_deep_with_a_duplicate_key_or_a_control_character_is_refused(body: str, code: str) -> None:
    status, answer, _ = _call("POST", "/things", body)
    assert (status, answer["error"]["code"]) == (422, code)
    assert answer["error"]["details"][0]["field"] == "body"


def test_ordinary_text_with_newlines_brackets_and_quotes_in_strings_passes() -> None:
    status, answer, _ = _call("POST", "/things", json.dumps({"name": "a\n[\"{"[:5]}))
    assert status == 200, answer
