"""Version-pinned cases and the release alarm, as the template declares them (issue 14)."""

from __future__ import annotations

import json
from typing import Any

from quorum_local.template import ROOT, Template

WORKERS = {"ReportWorkerArn", "ReviewerWorkerArn", "RewardWorkerArn"}


def _of_type(transformed: dict[str, Any], type_name: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in transformed["Resources"].items() if r["Type"] == type_name}


def _lambda_targets(states: dict[str, Any]) -> list[str]:
    found = []
    for state in states.values():
        if state["Type"] == "Task":
            found.append(state["Resource"] if "${" in state["Resource"] else state["Parameters"]["FunctionName"])
        for branch in state.get("Branches", []):
            found += _lambda_targets(branch["States"])
    return found


def test_every_machine_version_names_worker_versions_never_an_alias(transformed: dict[str, Any]) -> None:
    machine = next(iter(_of_type(transformed, "AWS::StepFunctions::StateMachine").values()))
    versions = _of_type(transformed, "AWS::Lambda::Version")
    substitutions = machine["Properties"]["DefinitionSubstitutions"]
    assert set(substitutions) == WORKERS
    for name, value in substitutions.items():
        assert value["Ref"] in versions, f"{name} is {value}, not a published worker version"
    definition = json.loads((ROOT / "infra/statemachines/voting.asl.json").read_text())
    targets = _lambda_targets(definition["States"])
    assert targets and {t.strip("${}") for t in targets} <= WORKERS, "a task calls something the version does not pin"


def test_rpc_made_for_a_case_is_pinned_to_the_same_versions() -> None:
    definition = json.loads((ROOT / "infra/statemachines/voting.asl.json").read_text())
    report_tasks = {n: s for n, s in definition["States"].items() if s.get("Resource") == "${ReportWorkerArn}"}
    assert report_tasks
    for name, state in report_tasks.items():
        assert state["Parameters"]["pins"] == {"reviewer": "${ReviewerWorkerArn}", "reward": "${RewardWorkerArn}"}, name


def test_the_machine_publishes_versions_behind_a_live_alias_shifted_by_the_alarms(prod_transformed: dict[str, Any]) -> None:
    prod = prod_transformed
    assert len(_of_type(prod, "AWS::StepFunctions::StateMachineVersion")) == 1
    alias = next(iter(_of_type(prod, "AWS::StepFunctions::StateMachineAlias").values()))["Properties"]
    assert alias["Name"] == "live"
    preference = alias["DeploymentPreference"]
    assert preference["Type"]["Fn::If"] == ["IsCanaryRelease", "CANARY", "ALL_AT_ONCE"]
    assert [a["Ref"] for a in preference["Alarms"]["Fn::If"][1]] == ["FunctionErrorsAlarm", "CasesFailingAlarm",
                                                                     "EscalationsAlarm"]


def test_cases_start_through_the_alias() -> None:
    template = Template.load("dev")
    for lid in ("ReportApiFunction", "ReportWorkerFunction"):
        arn = template.properties(lid)["Environment"]["Variables"]["QUORUM_VOTING_STATE_MACHINE_ARN"]
        assert arn.endswith(":stateMachine:quorum-dev-voting:live"), (lid, arn)
        statements = [s for p in template.properties(lid)["Policies"] if "Statement" in p for s in p["Statement"]]
        starts = [s["Resource"] for s in statements if "states:StartExecution" in s["Action"]]
        assert starts == [arn], (lid, starts)


def test_no_role_may_start_a_case_on_the_unqualified_machine(transformed: dict[str, Any]) -> None:
    """A start on the machine's own ARN runs its latest definition, outside the alias's versions
    and the release alarm: after SAM expands the policy templates, StartExecution names only `:live`."""
    starts = {}
    for lid, resource in transformed["Resources"].items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        statements = [s for p in resource["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
        for statement in statements:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if "states:StartExecution" in actions:
                resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                starts.setdefault(lid, []).extend(json.dumps(r) for r in resources)
    assert starts, "no role starts executions: the check would pass vacuously"
    for lid, resources in starts.items():
        assert all(":live" in r for r in resources), (lid, resources)


def test_the_release_alarm_watches_errors_failing_cases_and_escalations() -> None:
    template = Template.load("dev")
    release = template.properties("ReleaseAlarm")
    assert release["AlarmName"] == "quorum-dev-release"
    for watched in ("quorum-dev-function-errors", "quorum-dev-cases-failing", "quorum-dev-escalations"):
        assert f'ALARM("{watched}")' in release["AlarmRule"]
    escalations = template.properties("EscalationsAlarm")["Metrics"][0]["MetricStat"]["Metric"]
    assert (escalations["Namespace"], escalations["MetricName"]) == ("Quorum", "CasesEscalated")
