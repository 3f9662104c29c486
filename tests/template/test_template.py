"""template.yaml is the single source of truth: it lints, transforms, and matches the code."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from quorum_local import runtime
from quorum_local.openapi import DOCUMENT_PATH, build_document
from quorum_local.template import ROOT, TEMPLATE_PATH, Template, TemplateError

FUNCTION = "AWS::Serverless::Function"


@pytest.fixture(scope="module")
def template() -> Template:
    return Template.load("dev")


def test_cfn_lint_passes() -> None:
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(TEMPLATE_PATH)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sam_transform_gives_aliases_deployments_and_the_api(transformed: dict[str, Any]) -> None:
    types = [r["Type"] for r in transformed["Resources"].values()]
    functions = types.count("AWS::Lambda::Function")
    assert functions == 8
    assert types.count("AWS::Lambda::Alias") == functions
    assert types.count("AWS::CodeDeploy::DeploymentGroup") == functions
    assert types.count("AWS::ApiGatewayV2::Api") == 1
    assert types.count("AWS::StepFunctions::StateMachine") == 1
    assert types.count("AWS::Scheduler::Schedule") == 3


def test_http_api_checks_jwts_except_on_public_routes(transformed: dict[str, Any]) -> None:
    api = next(r for r in transformed["Resources"].values() if r["Type"] == "AWS::ApiGatewayV2::Api")
    body = api["Properties"]["Body"]
    assert "MarketplaceJwt" in body["components"]["securitySchemes"]
    for path, methods in body["paths"].items():
        for method, operation in methods.items():
            public = path in ("/v1/health", "/v1/openapi.json", "/console", "/console/{proxy+}")
            expected = [{"NONE": []}] if public else [{"MarketplaceJwt": []}]
            assert operation["security"] == expected, (path, method)


def test_every_function_handler_imports(template: Template) -> None:
    runtime.add_code_paths(template)
    for logical_id in template.of_type(FUNCTION):
        dotted = template.properties(logical_id)["Handler"]
        handler = runtime.load_handler(dotted)
        assert callable(handler), f"{logical_id}: {dotted} is not callable"


def _declared_variables(template: Template) -> set[str]:
    names: set[str] = set()
    for logical_id in template.of_type(FUNCTION):
        names |= set(template.properties(logical_id).get("Environment", {}).get("Variables", {}))
    return names


def _variables_read_by_code() -> dict[str, Path]:
    found = {}
    for folder in ("functions", "layers"):
        for path in (ROOT / folder).rglob("*.py"):
            for name in re.findall(r"[\"'](QUORUM_[A-Z0-9_]+)[\"']", path.read_text()):
                found.setdefault(name, path)
    return found


def test_every_variable_the_code_reads_is_declared(template: Template) -> None:
    declared = _declared_variables(template)
    missing = {name: str(path.relative_to(ROOT)) for name, path in _variables_read_by_code().items()
               if name not in declared}
    assert not missing, f"read by code but not set in template.yaml: {missing}"


def test_every_declared_quorum_variable_is_read_somewhere(template: Template) -> None:
    unused = {n for n in _declared_variables(template) if n.startswith("QUORUM_")} - set(_variables_read_by_code())
    assert not unused, f"set in template.yaml but read by no code: {unused}"


@pytest.mark.parametrize("suffix, resource_type", [
    ("_TABLE", "AWS::DynamoDB::Table"),
    ("_TOPIC_ARN", "AWS::SNS::Topic"),
    ("_STATE_MACHINE_ARN", "AWS::Serverless::StateMachine"),
])
def test_named_resources_exist_in_the_template(template: Template, suffix: str, resource_type: str) -> None:
    existing = {template.ref(logical_id) for logical_id in template.of_type(resource_type)}
    existing |= {f"{template.ref(lid)}:{template.properties(lid)['AutoPublishAlias']}"  # a machine's alias
                 for lid in template.of_type(resource_type) if template.properties(lid).get("AutoPublishAlias")}
    named = {(name, value) for name, value in runtime.function_environment(template).items() if name.endswith(suffix)}
    assert named, f"no variable ends in {suffix}"
    for name, value in named:
        assert value in existing, f"{name}={value} names no {resource_type} of the template"


def test_variable_names_have_one_meaning_across_the_stack(template: Template) -> None:
    runtime.function_environment(template)  # raises EnvironmentClash otherwise


def test_every_name_carries_the_environment(template: Template) -> None:
    for logical_id in template.resources:
        try:
            name = template.physical_name(logical_id)
        except TemplateError:  # a resource without a name property of its own
            continue
        if template.resources[logical_id]["Type"] == "AWS::ServiceDiscovery::Service":
            continue  # service names live inside the environment's own namespace
        assert "dev" in name, f"{logical_id}: {name}"


def _statements(raw: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for logical_id, resource in raw["Resources"].items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for policy in resource["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                found.append((logical_id, statement))
    return found


# Actions the Service Authorization Reference lists with no resource type: only "*" can grant them.
NO_RESOURCE_TYPE = {"states:SendTaskSuccess"}


def test_policies_are_least_privilege(transformed: dict[str, Any]) -> None:
    for role, statement in _statements(transformed):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert not [a for a in actions if a == "*" or a.endswith(":*")], (role, actions)
        if statement.get("Resource") == "*" and not set(actions) <= NO_RESOURCE_TYPE:
            assert statement.get("Condition"), f"{role}: unscoped resource for {actions}"


def test_the_deciding_vote_may_send_its_callback_and_a_denial_is_alarmed(transformed: dict[str, Any]) -> None:
    # A task token is not scoped to a state machine (issue 15 #1): SendTaskSuccess on an ARN is denied in AWS.
    sends = [(role, s) for role, s in _statements(transformed) if "states:SendTask" in json.dumps(s["Action"])]
    assert [(role, s["Action"], s["Resource"]) for role, s in sends] == [
        ("ReportApiFunctionRole", ["states:SendTaskSuccess"], "*")]  # and no SendTaskFailure: nothing calls it
    alarm = transformed["Resources"]["StepFunctionsAccessDeniedAlarm"]["Properties"]
    metric = alarm["Metrics"][0]["MetricStat"]["Metric"]
    assert (metric["Namespace"], metric["MetricName"]) == ("Quorum", "StepFunctionsAccessDenied")
    assert alarm["AlarmActions"] == [{"Ref": "OpsAlertsTopic"}]


def test_cases_the_sweep_gives_up_page_ops(transformed: dict[str, Any]) -> None:
    alarm = transformed["Resources"]["CasesGivenUpAlarm"]["Properties"]
    metric = alarm["Metrics"][0]["MetricStat"]["Metric"]
    assert (metric["Namespace"], metric["MetricName"], alarm["Threshold"]) == ("Quorum", "CasesGivenUp", 0)
    assert alarm["AlarmActions"] == [{"Ref": "OpsAlertsTopic"}]


def test_layer_requirements_match_pyproject() -> None:
    import tomllib

    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    shipped = [line.split("#")[0].strip() for line in (ROOT / "layers/common/requirements.txt").read_text().splitlines()]
    assert sorted(d.split("#")[0].strip() for d in pinned) == sorted(s for s in shipped if s)


def test_openapi_document_is_current() -> None:
    assert json.loads(DOCUMENT_PATH.read_text()) == build_document(), "stale: run `make openapi`"


def test_state_machine_substitutions_match_the_definition(template: Template) -> None:
    props = template.properties("VotingStateMachine")
    text = (ROOT / props["DefinitionUri"]).read_text()
    assert set(re.findall(r"\$\{(\w+)\}", text)) == set(props["DefinitionSubstitutions"])


def test_every_task_retries_and_catches_and_every_wait_has_a_timeout(template: Template) -> None:
    definition = json.loads((ROOT / template.properties("VotingStateMachine")["DefinitionUri"]).read_text())
    for name, state in definition["States"].items():
        if state["Type"] != "Task":
            continue
        assert state.get("Retry"), f"{name} has no Retry"
        assert state.get("Catch"), f"{name} has no Catch"
        if state["Resource"].endswith(".waitForTaskToken"):
            assert "TimeoutSeconds" in state or "TimeoutSecondsPath" in state, f"{name} waits forever"


def test_samconfig_has_the_three_environments_with_their_release_styles() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    styles = {}
    for env in ("dev", "staging", "prod"):
        deploy = config[env]["deploy"]["parameters"]
        assert deploy["stack_name"] == f"quorum-{env}"
        overrides = dict(re.findall(r'(\w+)="([^"]*)"', deploy["parameter_overrides"]))
        assert overrides["Env"] == env
        styles[env] = overrides["DeploymentType"]
    assert styles["dev"] == "AllAtOnce" and styles["prod"].startswith("Canary")


def test_readme_api_table_lists_exactly_the_routes_of_the_template(template: Template) -> None:
    from quorum_local.gateway import routes_from

    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Public API v1"):readme.index("## The local cloud")]
    documented = set()
    for cell in re.findall(r"^\| (`[^|]+) \|", table, flags=re.M):
        for method, path in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/(?:v1|console)[^`?]*)[^`]*`", cell):
            documented.add(f"{method} {path}")
    assert documented == {route.route_key for route in routes_from(template)}


@pytest.mark.parametrize("logical_id, dotted", [
    ("ReportApiFunction", "quorum_report.handlers.api.ROLES"),
    ("RewardApiFunction", "quorum_reward.handlers.api.ROLES"),
    ("ReviewerApiFunction", "quorum_reviewer.handlers.api.ROLES"),
    ("ConsoleFunction", "quorum_console.handlers.api.ROLES"),
])
def test_role_tables_cover_exactly_the_functions_protected_routes(template: Template, logical_id: str,
                                                                    dotted: str) -> None:
    from quorum_local.gateway import routes_from

    runtime.add_code_paths(template)
    roles = runtime.load_handler(dotted)
    name = template.physical_name(logical_id)
    protected = {r.route_key for r in routes_from(template) if r.function_name == name and r.needs_auth}
    assert set(roles) == protected


def test_the_console_shows_every_function_the_release_command_moves(template: Template) -> None:
    from quorum_ops.plan import FUNCTIONS

    listed = template.properties("ConsoleFunction")["Environment"]["Variables"]["QUORUM_RELEASE_FUNCTIONS"].split(",")
    deployed = {template.physical_name(lid).removeprefix("quorum-dev-") for lid in template.of_type(FUNCTION)}
    assert listed == list(FUNCTIONS) and set(listed) == deployed


def test_the_console_reads_the_release_log_the_release_command_writes() -> None:
    from quorum_console.adapters.release_log import LOG_PK
    from quorum_console.domain.release import ALIAS, ReleaseRecord
    from quorum_ops import plan, release_log

    assert (LOG_PK, ALIAS) == (release_log.LOG_PK, plan.ALIAS)
    assert set(ReleaseRecord.model_fields) == set(release_log.Record.__dataclass_fields__)


def test_an_escalated_case_deadline_is_the_state_machine_wait_for_ops(template: Template) -> None:
    from quorum_report.domain.case import RESOLUTION_WINDOW

    definition = json.loads((ROOT / template.properties("VotingStateMachine")["DefinitionUri"]).read_text())
    assert definition["States"]["AwaitResolution"]["TimeoutSeconds"] == RESOLUTION_WINDOW.total_seconds()
