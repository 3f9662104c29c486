"""The console over HTTP on the local cloud: served by the API itself, the local sign-in, and GET /v1/releases."""

from __future__ import annotations

import requests
from e2e_cloud import LocalCloudProcess


def test_the_console_is_served_by_the_api_itself_without_a_token(local_cloud: LocalCloudProcess) -> None:
    page = requests.get(f"{local_cloud.api_url}/console/", timeout=10)
    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert '<script type="module" src="/console/js/main.js">' in page.text
    asset = requests.get(f"{local_cloud.api_url}/console/vendor/preact-11.2.0/hooks.mjs", timeout=10)
    assert (asset.status_code, asset.headers["content-type"]) == (200, "text/javascript; charset=utf-8")
    missing = requests.get(f"{local_cloud.api_url}/console/js/none.js", timeout=10)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "asset_not_found")


def test_local_sign_in_mints_a_token_the_gateway_accepts(local_cloud: LocalCloudProcess) -> None:
    url = f"{local_cloud.api_url}/local/token"
    assert requests.get(url, timeout=10).json()["groups"] == ["ops", "user", "module"]
    minted = requests.post(url, json={"sub": "ops-local", "groups": ["ops"]}, timeout=10)
    assert minted.status_code == 201
    policies = requests.get(f"{local_cloud.api_url}/v1/policies", timeout=10,
                            headers={"Authorization": f"Bearer {minted.json()['token']}"})
    assert policies.status_code == 200
    refused = requests.post(url, json={"sub": "ops-local", "groups": ["admin"]}, timeout=10)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "validation_error")


def test_releases_over_http_for_ops_only_and_in_the_openapi_document(local_cloud: LocalCloudProcess) -> None:
    url = f"{local_cloud.api_url}/v1/releases"
    anonymous = requests.get(url, timeout=10)
    as_user = requests.get(url, headers=local_cloud.headers("u-1", "user"), timeout=10)
    as_ops = requests.get(url, headers=local_cloud.headers("ops-1", "ops"), timeout=10)
    assert (anonymous.status_code, as_user.status_code, as_ops.status_code) == (401, 403, 200)
    assert {f["function"] for f in as_ops.json()["functions"]} >= {"quorum-local-console", "quorum-local-report-api"}
    assert as_ops.json()["machines"][0]["machine"] == "quorum-local-voting"
    document = requests.get(f"{local_cloud.api_url}/v1/openapi.json", timeout=10).json()
    operation = document["paths"]["/v1/releases"]["get"]
    assert {"200", "401", "403"} <= set(operation["responses"])
    assert not [p for p in document["paths"] if p.startswith("/console")]


def test_the_case_timeline_over_http_for_ops_only_and_in_the_openapi_document(local_cloud: LocalCloudProcess) -> None:
    ops, module = local_cloud.headers("ops-1", "ops"), local_cloud.headers("listing-svc", "module")
    report = {"reporter_id": "buyer-tl", "reason": "spam",
              "target": {"module": "listing", "id": "item-timeline-http", "owner_id": "seller-tl", "content": {"text": "x"}}}
    accepted = requests.post(f"{local_cloud.api_url}/v1/reports", json=report, headers=module, timeout=10)
    assert accepted.status_code == 202
    url = f"{local_cloud.api_url}/v1/cases/{accepted.json()['case_id']}/timeline"
    timeline = requests.get(url, headers=ops, timeout=10)
    assert timeline.status_code == 200 and timeline.json()["events"][0]["event"] == "reported"
    assert timeline.json()["events"][0]["detail"]["reporter_id"] == "buyer-tl"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers=local_cloud.headers("u-1", "user"), timeout=10).status_code == 403
    missing = requests.get(f"{local_cloud.api_url}/v1/cases/case-none/timeline", headers=ops, timeout=10)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "case_not_found")
    document = requests.get(f"{local_cloud.api_url}/v1/openapi.json", timeout=10).json()
    responses = document["paths"]["/v1/cases/{case_id}/timeline"]["get"]["responses"]
    assert {"200", "401", "403", "404"} <= set(responses)
    assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith("CaseTimelineResponse")


def test_releases_show_the_voting_machine_s_weights_and_the_cases_each_version_runs(
        local_cloud: LocalCloudProcess) -> None:
    # Given a case just opened (its execution waits for votes, on the version the machine's alias drew)
    url, ops = f"{local_cloud.api_url}/v1/releases", local_cloud.headers("ops-1", "ops")
    report = {"reporter_id": "buyer-rel", "reason": "spam",
              "target": {"module": "listing", "id": "item-releases-http", "owner_id": "seller-rel", "content": {"text": "x"}}}
    accepted = requests.post(f"{local_cloud.api_url}/v1/reports", json=report,
                             headers=local_cloud.headers("listing-svc", "module"), timeout=10)
    assert accepted.status_code == 202
    # When ops read the releases
    (voting,) = requests.get(url, headers=ops, timeout=10).json()["machines"]
    # Then the voting machine's live alias sends every new case to version 1, which runs at least that case
    # (other tests' cases share this cloud and may end meanwhile; exact counts: tests/integration/console)
    assert (voting["machine"], voting["deployed"]) == ("quorum-local-voting", True)
    assert [(v["version"], v["weight"]) for v in voting["versions"]] == [("1", 1.0)]
    assert voting["versions"][0]["running_cases"] >= 1
