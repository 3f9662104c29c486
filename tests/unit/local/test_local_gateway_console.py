"""The local gateway routes the console as API Gateway would, and signs people in locally (only locally)."""

from __future__ import annotations

import json

import jwt
import pytest

from quorum_local.gateway import Route, Router, routes_from
from quorum_local.signin import LocalSignIn
from quorum_local.template import Template

ISSUER, AUDIENCE, SECRET = "https://id.example-marketplace.com/", "quorum", "a-local-secret-of-enough-length!!"


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(routes_from(Template.load("local")))


@pytest.mark.parametrize("path, route_path, params", [
    ("/console", "/console", {}),
    ("/console/", "/console", {}),  # API Gateway sends the trailing slash to the route without it
    ("/console/js/main.js", "/console/{proxy+}", {"proxy": "js/main.js"}),
    ("/console/cases/case-1", "/console/{proxy+}", {"proxy": "cases/case-1"}),
])
def test_console_paths_reach_the_console_function(router: Router, path: str, route_path: str, params: dict) -> None:
    route, found, _ = router.match("GET", path)
    assert route is not None and (route.path, route.function_name, found) == (route_path, "quorum-local-console", params)
    assert not route.needs_auth


def test_a_greedy_variable_needs_at_least_one_character_and_single_ones_stay_in_their_segment() -> None:
    assert Route("GET", "/a/{proxy+}", "f", False).pattern().match("/a/") is None
    assert Route("GET", "/v1/cases/{case_id}", "f", True).pattern().match("/v1/cases/x/y") is None


def test_the_trailing_slash_rule_does_not_hide_a_wrong_method(router: Router) -> None:
    route, _, allowed = router.match("POST", "/v1/releases")
    assert route is None and allowed == ["GET"]


def test_the_sign_in_endpoint_says_it_exists_and_mints_tokens_the_gateway_accepts() -> None:
    signin = LocalSignIn(SECRET, ISSUER, AUDIENCE)
    status, _, body = signin.answer("GET", b"")
    assert status == 200 and json.loads(body)["groups"] == ["ops", "user", "module"]
    status, headers, body = signin.answer("POST", json.dumps({"sub": "ops-7", "groups": ["ops"]}).encode())
    claims = jwt.decode(json.loads(body)["token"], SECRET, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER)
    assert (status, headers["cache-control"], claims["sub"], claims["groups"]) == (201, "no-store", "ops-7", ["ops"])


def test_a_local_module_token_names_the_module_it_speaks_for() -> None:
    signin = LocalSignIn(SECRET, ISSUER, AUDIENCE)
    assert json.loads(signin.answer("GET", b"")[2])["modules"] == ["listing", "post", "comment", "chat", "review"]
    status, _, body = signin.answer("POST", json.dumps({"sub": "m-1", "groups": ["module"], "module": "chat"}).encode())
    claims = jwt.decode(json.loads(body)["token"], SECRET, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER)
    assert (status, claims["groups"], claims["quorum_module"]) == (201, ["module"], "chat")


@pytest.mark.parametrize("body", [b"", b"{", b'{"sub": "x"}', b'{"sub": "", "groups": ["ops"]}',
                                  b'{"sub": "u 1", "groups": ["ops"]}', b'{"sub": "u1", "groups": ["root"]}',
                                  b'{"sub": "u1", "groups": []}', b'{"sub": "m1", "groups": ["module"]}',
                                  b'{"sub": "m1", "groups": ["module"], "module": "auction"}',
                                  b'{"sub": "u1", "groups": ["user"], "module": "listing"}'])
def test_the_sign_in_endpoint_refuses_what_is_not_a_user_id_and_roles(body: bytes) -> None:
    status, _, answer = LocalSignIn(SECRET, ISSUER, AUDIENCE).answer("POST", body)
    assert status == 422 and json.loads(answer)["error"]["code"] == "validation_error"


def test_the_template_has_no_sign_in_route() -> None:
    assert not [r for r in routes_from(Template.load("prod")) if r.path.startswith("/local")]
