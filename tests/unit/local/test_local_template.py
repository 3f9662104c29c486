"""The local resolver reads template.yaml as CloudFormation would, and refuses what it cannot."""

from __future__ import annotations

import pytest

from quorum_local.gateway import Router, routes_from
from quorum_local.template import Template, TemplateError, merge_globals


@pytest.fixture(scope="module")
def template() -> Template:
    return Template.load("staging")


def test_names_carry_the_environment_and_arns_are_built(template: Template) -> None:
    env = template.properties("ReportWorkerFunction")["Environment"]["Variables"]
    assert env["QUORUM_REPORT_TABLE"] == "quorum-staging-report"
    assert env["QUORUM_EVENTS_TOPIC_ARN"] == "arn:aws:sns:us-east-1:123456789012:quorum-staging-case-events"
    assert env["QUORUM_NAMESPACE"] == "quorum-staging"  # from Globals, merged


def test_sam_alias_refs_and_conditions_resolve(template: Template) -> None:
    subs = template.properties("VotingStateMachine")["DefinitionSubstitutions"]
    assert subs["ReviewerWorkerArn"].endswith(":function:quorum-staging-reviewer-worker:1")  # a version: cases are pinned
    alias = template.properties("ReviewerStableInstance")["InstanceAttributes"]["alias_arn"]
    assert alias.endswith(":function:quorum-staging-reviewer-worker:live")
    assert template.properties("ReportApiFunction")["DeploymentPreference"]["Alarms"] == []  # AllAtOnce: NoValue dropped
    canary = Template.load("prod", overrides={"DeploymentType": "Canary10Percent5Minutes"})
    assert canary.properties("ReportApiFunction")["DeploymentPreference"]["Alarms"] == ["quorum-prod-function-errors"]


def test_unknown_references_fail_loudly(template: Template) -> None:
    with pytest.raises(TemplateError):
        template.resolve({"Ref": "NoSuchResource"})
    with pytest.raises(TemplateError):
        template.resolve({"Fn::GetAtt": ["ReportTable", "StreamArn"]})


def test_globals_merge_maps_and_replace_scalars() -> None:
    merged = merge_globals({"Timeout": 10, "Environment": {"Variables": {"A": "1"}}},
                           {"Timeout": 30, "Environment": {"Variables": {"B": "2"}}})
    assert merged == {"Timeout": 30, "Environment": {"Variables": {"A": "1", "B": "2"}}}


def test_globals_lists_concatenate_as_sam_does() -> None:
    merged = merge_globals({"Layers": ["common"], "Runtime": "python3.13"}, {"Layers": ["extra"]})
    assert merged == {"Layers": ["common", "extra"], "Runtime": "python3.13"}


def test_gateway_routes_come_from_http_api_events(template: Template) -> None:
    router = Router(routes_from(template))
    route, params, _ = router.match("POST", "/v1/cases/c-1/votes")
    assert route is not None and route.function_name == "quorum-staging-report-api" and params == {"case_id": "c-1"}
    assert route.needs_auth
    health, _, _ = router.match("GET", "/v1/health")
    assert health is not None and not health.needs_auth
    none, _, allowed = router.match("DELETE", "/v1/reviewers/u-1")
    assert none is None and sorted(allowed) == ["GET", "PATCH"]
    assert router.match("GET", "/v1/unknown") == (None, {}, [])
