"""The scheduler's schedules reach the real capabilities through Cloud Map and their live aliases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3

from quorum_local.gateway import event_for
from quorum_local.template import Template


def _invoke(payload: dict) -> dict:
    response = boto3.client("lambda").invoke(FunctionName="quorum-local-scheduler", Payload=json.dumps(payload))
    body = json.loads(response["Payload"].read())
    assert "FunctionError" not in response, body
    return body


def _profile(client, user: str, active_days_ago: int) -> None:
    now = datetime.now(UTC)
    item = {"tags": [], "last_active_at": (now - timedelta(days=active_days_ago)).isoformat(),
            "registered_at": (now - timedelta(days=365)).isoformat(), "credit_score": 800}
    event = event_for("PUT", f"/v1/users/{user}/profile", body=json.dumps(item),
                      claims={"sub": "listing-module", "groups": "[module]", "quorum_module": "listing"})
    response = client.invoke(FunctionName="quorum-local-reviewer-api", Payload=json.dumps(event))
    assert json.loads(response["Payload"].read())["statusCode"] == 200


def test_daily_jobs_enroll_and_adjust_through_the_reviewer_service(stack: Template) -> None:
    lam = boto3.client("lambda")
    _profile(lam, "fresh-1", active_days_ago=1)
    _profile(lam, "fresh-2", active_days_ago=2)
    _profile(lam, "dormant-1", active_days_ago=30)
    enrollment = _invoke({"job": "enrollment"})
    assert enrollment["service"] == "reviewer" and enrollment["batches"][-1]["enrolled"] == 2
    again = _invoke({"job": "enrollment"})
    assert again["batches"][-1]["enrolled"] == 0  # nobody is enrolled twice
    adjusted = _invoke({"job": "auto_adjustment"})
    assert adjusted["batches"][-1]["paused"] == [] and adjusted["batches"][-1]["suspended"] == []


def test_the_sweep_reaches_the_report_service(stack: Template) -> None:
    swept = _invoke({"job": "sweep_stuck_cases"})
    assert swept["service"] == "report" and len(swept["batches"]) == 1


def test_an_unknown_job_fails_the_invocation_with_its_name(stack: Template) -> None:
    response = boto3.client("lambda").invoke(FunctionName="quorum-local-scheduler", Payload=json.dumps({"job": "x"}))
    assert response.get("FunctionError") and json.loads(response["Payload"].read())["errorType"] == "UnknownJob"
