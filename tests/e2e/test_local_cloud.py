"""The local cloud as a newcomer meets it: the gateway, tokens, and what got provisioned."""

from __future__ import annotations

import json

import requests
from botocore.config import Config
from e2e_cloud import SECRET, LocalCloudProcess

from quorum_local import tokens

ISSUER = "https://id.example-marketplace.com/"


def _error(response: requests.Response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"]), body
    return body["error"]


def test_health_answers_with_and_without_a_token(local_cloud: LocalCloudProcess) -> None:
    anonymous = requests.get(f"{local_cloud.api_url}/v1/health", timeout=10)
    with_token = requests.get(f"{local_cloud.api_url}/v1/health", headers=local_cloud.headers("u-1", "user"), timeout=10)
    assert anonymous.status_code == with_token.status_code == 200
    assert anonymous.json() == {"status": "ok", "service": "quorum", "env": "local"}


def test_openapi_document_lists_the_public_api(local_cloud: LocalCloudProcess) -> None:
    response = requests.get(f"{local_cloud.api_url}/v1/openapi.json", timeout=10)
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/v1/health", "/v1/reports", "/v1/cases/{case_id}/votes", "/v1/mall/redemptions",
                 "/v1/users/{user_id}/profile"):
        assert path in paths


def test_unknown_route_is_404_and_wrong_method_405(local_cloud: LocalCloudProcess) -> None:
    missing = requests.get(f"{local_cloud.api_url}/v1/nothing-here", timeout=10)
    wrong = requests.delete(f"{local_cloud.api_url}/v1/health", timeout=10)
    assert (missing.status_code, _error(missing)["code"]) == (404, "route_not_found")
    assert (wrong.status_code, _error(wrong)["code"]) == (405, "method_not_allowed")
    assert wrong.headers["allow"] == "GET"


def test_any_http_method_is_answered_in_the_error_format(local_cloud: LocalCloudProcess) -> None:
    # Methods the template never routes (TRACE, made-up ones) are 405 on a known path and 404 elsewhere, in JSON.
    for method in ("TRACE", "CONNECT", "PROPFIND", "BREW"):
        known = requests.request(method, f"{local_cloud.api_url}/v1/health", timeout=10)
        unknown = requests.request(method, f"{local_cloud.api_url}/v1/nothing-here", timeout=10)
        assert (known.status_code, _error(known)["code"], known.headers["allow"]) == (405, "method_not_allowed", "GET")
        assert (unknown.status_code, _error(unknown)["code"]) == (404, "route_not_found")


def test_protected_routes_refuse_missing_bad_and_expired_tokens(local_cloud: LocalCloudProcess) -> None:
    url = f"{local_cloud.api_url}/v1/policies"
    forged = tokens.mint("a-different-secret-of-enough-length!", "ops-1", ["ops"], issuer="https://id.example-marketplace.com/",
                         audience="quorum")
    expired = local_cloud.token("ops-1", "ops", ttl=-10)
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": f"Bearer {forged}"},
                    {"Authorization": f"Bearer {expired}"}, {"Authorization": "Basic b3BzOm9wcw=="}):
        response = requests.get(url, headers=headers, timeout=10)
        assert (response.status_code, _error(response)["code"]) == (401, "unauthorized"), headers


def test_a_valid_token_reaches_the_handler_with_its_claims(local_cloud: LocalCloudProcess) -> None:
    as_user = requests.get(f"{local_cloud.api_url}/v1/policies", headers=local_cloud.headers("u-1", "user"), timeout=10)
    assert (as_user.status_code, _error(as_user)["code"]) == (403, "wrong_role")


def test_malformed_json_is_400(local_cloud: LocalCloudProcess) -> None:
    response = requests.post(f"{local_cloud.api_url}/v1/reports", data="{not json",
                             headers={**local_cloud.headers("listing-module", "module"),
                                      "content-type": "application/json"}, timeout=10)
    assert (response.status_code, _error(response)["code"]) == (400, "malformed_json")


def test_a_module_token_reports_only_for_the_module_it_speaks_for(local_cloud: LocalCloudProcess) -> None:
    # issue 15 #12, through the gateway: the quorum_module claim reaches the handler with the others
    report = {"reporter_id": "buyer-claim", "reason": "spam",
              "target": {"module": "listing", "id": "item-claim", "owner_id": "seller-claim", "content": {"text": "x"}}}
    url = f"{local_cloud.api_url}/v1/reports"
    no_claim = tokens.mint(SECRET, "listing-svc", ["module"], issuer=ISSUER, audience="quorum")
    missing = requests.post(url, json=report, headers={"Authorization": f"Bearer {no_claim}"}, timeout=10)
    assert (missing.status_code, _error(missing)["code"]) == (403, "module_claim_missing")
    chat = requests.post(url, json=report, headers=local_cloud.headers("chat-svc", "module", module="chat"), timeout=10)
    assert (chat.status_code, _error(chat)["code"]) == (403, "wrong_module")
    listing = requests.post(url, json=report, headers=local_cloud.headers("listing-svc", "module", module="listing"),
                            timeout=10)
    assert listing.status_code == 202
def test_a_body_sent_as_multipart_without_a_boundary_is_415_not_a_500(local_cloud: LocalCloudProcess) -> None:
    response = requests.put(f"{local_cloud.api_url}/v1/reviewer-rules", data='{"fatigue": {}}',
                            headers={**local_cloud.headers("ops-1", "ops"), "content-type": "multipart/form-data"},
                            timeout=10)
    assert (response.status_code, _error(response)["code"]) == (415, "unsupported_media_type")


def test_the_stack_is_provisioned_from_the_template(local_cloud: LocalCloudProcess) -> None:
    tables = local_cloud.client("dynamodb").list_tables()["TableNames"]
    topics = [t["TopicArn"].rsplit(":", 1)[1] for t in local_cloud.client("sns").list_topics()["Topics"]]
    machines = [m["name"] for m in local_cloud.client("stepfunctions").list_state_machines()["stateMachines"]]
    discovery = local_cloud.client("servicediscovery", Config(inject_host_prefix=False))
    namespaces = [n["Name"] for n in discovery.list_namespaces()["Namespaces"]]
    services = sorted(s["Name"] for s in discovery.list_services()["Services"])
    aliases = local_cloud.client("lambda").list_aliases(FunctionName="quorum-local-report-api")["Aliases"]
    assert set(tables) == {f"quorum-local-{n}" for n in ("report", "reviewer", "reward", "idempotency", "release-log")}
    assert set(topics) == {"quorum-local-invitations", "quorum-local-case-events", "quorum-local-ops-alerts"}
    assert machines == ["quorum-local-voting"]
    assert namespaces == ["quorum-local"] and services == ["report", "reviewer", "reward"]
    assert [a["Name"] for a in aliases] == ["live"]
    instances = discovery.discover_instances(NamespaceName="quorum-local", ServiceName="reward")["Instances"]
    assert instances[0]["Attributes"]["alias_arn"].endswith(":function:quorum-local-reward-worker:live")


def test_the_gateway_answers_odd_requests_in_the_error_format(local_cloud: LocalCloudProcess) -> None:
    import http.client
    from urllib.parse import urlsplit

    options = requests.options(f"{local_cloud.api_url}/v1/health", timeout=10)
    assert (options.status_code, _error(options)["code"]) == (405, "method_not_allowed")
    target = urlsplit(local_cloud.api_url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    connection.putrequest("POST", "/v1/reports")
    connection.putheader("Content-Length", "abc")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 400 and json.loads(response.read())["error"]["code"] == "bad_request"


def test_repeated_query_parameters_reach_the_handler_joined_as_api_gateway_joins_them(
        local_cloud: LocalCloudProcess) -> None:
    response = requests.get(f"{local_cloud.api_url}/v1/cases?status=escalated&status=voting",
                            headers=local_cloud.headers("ops-1", "ops"), timeout=10)
    assert response.status_code == 422, response.text


def test_a_wrong_role_is_403_even_with_an_invalid_body(local_cloud: LocalCloudProcess) -> None:
    user = local_cloud.headers("u-1", "user")
    for method, path in (("PUT", "/v1/policies/comment"), ("PUT", "/v1/reward-rules/listing"),
                         ("PUT", "/v1/mall/items/x-1"), ("POST", "/v1/reports")):
        response = requests.request(method, f"{local_cloud.api_url}{path}", json={}, headers=user, timeout=10)
        assert (response.status_code, _error(response)["code"]) == (403, "wrong_role"), path
