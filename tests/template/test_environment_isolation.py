"""Environment isolation: a dev stack's IAM policies and resource names never reach another environment.

template.yaml is transformed offline with aws-sam-translator (as `sam deploy` would) for one
environment; then every IAM policy SAM generates is checked twice:

- resolved: with the intrinsics evaluated for that environment, every `quorum-<env>` (or
  `/quorum/<env>/`) that a policy names must be the stack's own environment;
- as written: every name in a policy is built from `${Env}`: a plain string or a `Fn::Sub`
  without `${Env}` that mentions `quorum-` is a name that cannot follow the environment.

Wildcard resources must be confined by a condition naming the environment's own resources, and
every named resource must carry the environment in its name. The negative tests run the same
helpers on deliberately broken templates to prove the checks catch what they are for.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

from quorum_local.template import Template, TemplateError

ROOT = Path(__file__).resolve().parents[2]
ENV_MENTION = re.compile(r"quorum[-/]([a-z0-9]+)")
# Actions with no resource-level scoping at all (a task token has no resource type: issue 15 #1).
UNSCOPABLE_ACTIONS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords", "states:SendTaskSuccess"}
# Condition keys whose values are item keys, not resource names (the idempotency records' key prefix).
NOT_NAMES = {"dynamodb:LeadingKeys"}
# Resource types whose physical name must carry the environment, and the property holding it.
NAMED = {
    "AWS::Lambda::Function": "FunctionName", "AWS::Lambda::LayerVersion": "LayerName",
    "AWS::DynamoDB::Table": "TableName", "AWS::SNS::Topic": "TopicName",
    "AWS::StepFunctions::StateMachine": "StateMachineName", "AWS::Scheduler::Schedule": "Name",
    "AWS::ServiceDiscovery::HttpNamespace": "Name", "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::Logs::LogGroup": "LogGroupName",
}


class _Loader:
    """SAM's managed-policy loader: no AWS account offline, so no managed-policy lookups."""

    def load(self) -> dict[str, str]:
        return {}


class IsolationResolver(Template):
    """quorum_local's resolver, with resources that only the transform creates left symbolic.

    A Ref to a resource of the same stack is of the same environment by construction, so a
    placeholder (which names no environment) is enough for it.
    """

    def _resource_ref(self, logical_id: str) -> str:
        try:
            return super()._resource_ref(logical_id)
        except (TemplateError, KeyError):
            return f"<{logical_id}>"

    def get_att(self, logical_id: str, attribute: str) -> Any:
        try:
            return super().get_att(logical_id, attribute)
        except (TemplateError, KeyError):
            return f"<{logical_id}.{attribute}>"


# ---------------------------------------------------------------------- helpers (also run on broken templates)
def load_sam() -> dict[str, Any]:
    return yaml_parse((ROOT / "template.yaml").read_text())


def transformed(sam: dict[str, Any], env: str) -> dict[str, Any]:
    """The CloudFormation template `sam deploy` would submit for `env` (local code URIs rewritten)."""
    tpl = copy.deepcopy(sam)
    for lid, res in tpl["Resources"].items():
        props = res.get("Properties", {})
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if isinstance(props.get(key), str):
                props[key] = f"s3://bucket/{lid}.zip"
    return transform(tpl, {"Env": env}, _Loader())


def resolver(sam: dict[str, Any], env: str) -> IsolationResolver:
    params = {name: str(spec.get("Default", "")) for name, spec in sam.get("Parameters", {}).items()}
    return IsolationResolver(raw=sam, parameters={**params, "Env": env})


def policy_documents(cfn: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, document) for every inline policy of every role, and every standalone policy."""
    for lid, res in cfn["Resources"].items():
        props = res.get("Properties", {})
        if res["Type"] == "AWS::IAM::Role":
            for policy in props.get("Policies", []):
                yield f"{lid}/{policy.get('PolicyName')}", policy["PolicyDocument"]
        elif res["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            yield lid, props["PolicyDocument"]


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = document.get("Statement", [])
    return found if isinstance(found, list) else [found]


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_NAMES:
                yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def foreign_references(sam: dict[str, Any], env: str) -> list[str]:
    """Every resolved policy string that names an environment other than `env`."""
    cfn, resolve = transformed(sam, env), resolver(sam, env).resolve
    return [f"{where}: {text}" for where, doc in policy_documents(cfn) for text in strings(resolve(doc))
            if any(found != env for found in ENV_MENTION.findall(text))]


def unscoped_names(sam: dict[str, Any], env: str) -> list[str]:
    """Every name in a policy (as SAM wrote it) that is not built from ${Env}."""
    return [f"{where}: {text}" for where, doc in policy_documents(transformed(sam, env))
            for text in _unscoped(doc)]


def _unscoped(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        if "quorum-" in node:
            yield node
    elif isinstance(node, list):
        for item in node:
            yield from _unscoped(item)
    elif isinstance(node, dict) and set(node) == {"Fn::Sub"}:
        text, variables = (node["Fn::Sub"], {}) if isinstance(node["Fn::Sub"], str) else node["Fn::Sub"]
        if "quorum-" in text and "${Env}" not in text:
            yield text
        yield from _unscoped(variables)
    elif isinstance(node, dict) and set(node) == {"Fn::Join"}:
        _sep, pieces = node["Fn::Join"]
        literal = [p for p in pieces if isinstance(p, str)]
        if any("quorum" in p for p in literal) and {"Ref": "Env"} not in pieces:
            yield f"Fn::Join {pieces}"
        yield from _unscoped([p for p in pieces if not isinstance(p, str)])
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_NAMES:
                yield from _unscoped(value)


def open_wildcards(sam: dict[str, Any], env: str) -> list[str]:
    """Statements granting `*` without a condition that confines them to `env`'s resources."""
    cfn, resolve = transformed(sam, env), resolver(sam, env).resolve
    found = []
    for where, doc in policy_documents(cfn):
        for statement in statements(resolve(doc)):
            resources = statement.get("Resource", [])
            actions = statement.get("Action", [])
            actions = {actions} if isinstance(actions, str) else set(actions)
            if "*" not in ([resources] if isinstance(resources, str) else resources) or actions <= UNSCOPABLE_ACTIONS:
                continue
            if not any(f"quorum-{env}" == text for text in strings(statement.get("Condition", {}))):
                found.append(f"{where}: {sorted(actions)} on *")
    return found


def foreign_names(sam: dict[str, Any], env: str) -> list[str]:
    """Named resources whose name is missing or does not carry `env`."""
    cfn, resolve = transformed(sam, env), resolver(sam, env).resolve
    bad = []
    for lid, res in cfn["Resources"].items():
        prop = NAMED.get(res["Type"])
        if prop is None:
            continue
        name = resolve(res.get("Properties", {}).get(prop, ""))
        if ENV_MENTION.findall(str(name)) != [env]:
            bad.append(f"{lid}.{prop} = {name!r}")
    return bad


# ---------------------------------------------------------------------- the template as it is
@pytest.fixture(scope="module", autouse=True)
def region() -> Iterator[None]:
    """The translator needs a region to build ARNs; set it for this module only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_DEFAULT_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
        yield


@pytest.fixture(scope="module")
def sam() -> dict[str, Any]:
    return load_sam()


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_no_policy_names_a_resource_of_another_environment(sam: dict[str, Any], env: str) -> None:
    assert foreign_references(sam, env) == []


def test_policies_do_reach_the_dev_resources_they_need(sam: dict[str, Any]) -> None:
    # Guards the guard: if resolution silently produced nothing, the test above would pass vacuously.
    cfn, resolve = transformed(sam, "dev"), resolver(sam, "dev").resolve
    texts = {text for _, doc in policy_documents(cfn) for text in strings(resolve(doc))}
    assert "arn:aws:dynamodb:us-east-1:123456789012:table/quorum-dev-report" in texts
    assert any(t.endswith(":function:quorum-dev-reviewer-worker*") for t in texts)
    assert "quorum-dev" in texts  # the Cloud Map namespace condition


def test_every_name_in_a_policy_is_built_from_env(sam: dict[str, Any]) -> None:
    assert unscoped_names(sam, "dev") == []


def test_wildcard_resources_are_confined_to_the_environment(sam: dict[str, Any]) -> None:
    assert open_wildcards(sam, "dev") == []


@pytest.mark.parametrize("env", ["dev", "staging"])
def test_every_named_resource_carries_the_environment(sam: dict[str, Any], env: str) -> None:
    assert foreign_names(sam, env) == []


# ---------------------------------------------------------------------- the checks catch breakage
def with_policy(sam: dict[str, Any], policy: dict[str, Any], function: str = "ReviewerApiFunction") -> dict[str, Any]:
    broken = copy.deepcopy(sam)
    broken["Resources"][function]["Properties"].setdefault("Policies", []).append(policy)
    return broken


PROD_TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/quorum-prod-report"
HARD_CODED = {
    "policy template with a literal table": {"DynamoDBReadPolicy": {"TableName": "quorum-prod-report"}},
    "statement with a literal ARN": {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem"],
                                                    "Resource": PROD_TABLE_ARN}]},
    "statement with a Sub that skips ${Env}": {"Statement": [{
        "Effect": "Allow", "Action": ["dynamodb:GetItem"],
        "Resource": {"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}"
                                ":table/quorum-prod-report"}}]},
}


@pytest.mark.parametrize("policy", HARD_CODED.values(), ids=HARD_CODED.keys())
def test_a_hard_coded_prod_resource_in_a_dev_policy_is_caught(sam: dict[str, Any], policy: dict[str, Any]) -> None:
    broken = with_policy(sam, policy)
    assert any("quorum-prod-report" in found for found in foreign_references(broken, "dev"))
    assert any("quorum-prod-report" in found for found in unscoped_names(broken, "dev"))


def test_a_join_without_env_is_caught(sam: dict[str, Any]) -> None:
    joined = {"Fn::Join": ["", ["arn:aws:sns:us-east-1:123456789012:", "quorum-staging-ops-alerts"]]}
    broken = with_policy(sam, {"Statement": [{"Effect": "Allow", "Action": ["sns:Publish"], "Resource": joined}]})
    assert unscoped_names(broken, "dev") and foreign_references(broken, "dev")


def test_an_unconditioned_wildcard_is_caught(sam: dict[str, Any]) -> None:
    broken = with_policy(sam, {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:Scan"], "Resource": "*"}]})
    (found,) = open_wildcards(broken, "dev")
    assert found.startswith("ReviewerApiFunctionRole/") and found.endswith("['dynamodb:Scan'] on *")


def test_a_wildcard_conditioned_on_another_environment_is_caught(sam: dict[str, Any]) -> None:
    other = {"Effect": "Allow", "Action": ["servicediscovery:DiscoverInstances"], "Resource": "*",
             "Condition": {"StringEquals": {"servicediscovery:NamespaceName": "quorum-prod"}}}
    broken = with_policy(sam, {"Statement": [other]})
    assert len(open_wildcards(broken, "dev")) == 1


def test_a_table_named_for_another_environment_is_caught(sam: dict[str, Any]) -> None:
    broken = copy.deepcopy(sam)
    broken["Resources"]["ReportTable"]["Properties"]["TableName"] = "quorum-prod-report"
    assert foreign_names(broken, "dev") == ["ReportTable.TableName = 'quorum-prod-report'"]
