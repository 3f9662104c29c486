"""Least privilege, derived from the code (issue 15 #13): each function's role grants the DynamoDB
calls its capability's code makes on its table, no more and no fewer; the idempotency table only
under the caller's own key prefix; a failed asynchronous invoke or schedule lands in a queue.

The code is read, not run: every call on a `quorum_common.dynamo.Table` (a receiver named
`table`) in the function's CodeUri, and every `Idempotent(table, prefix, ...)` there.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from typing import Any

import pytest

from quorum_local.template import ROOT

# The IAM action behind each method of quorum_common.dynamo.Table (a transaction needs its parts').
TABLE_ACTIONS = {
    "get": "dynamodb:GetItem", "put": "dynamodb:PutItem", "put_op": "dynamodb:PutItem",
    "update": "dynamodb:UpdateItem", "update_op": "dynamodb:UpdateItem",
    "delete": "dynamodb:DeleteItem", "delete_op": "dynamodb:DeleteItem",
    "query": "dynamodb:Query", "query_page": "dynamodb:Query",
    "batch_get": "dynamodb:BatchGetItem", "batch_write": "dynamodb:BatchWriteItem",
}
NOT_ACTIONS = {"transact", "call", "client", "name"}  # the transaction itself, the raw escape, attributes
# Adapter methods that no Lambda handler reaches (bench/ loads reviewers in bulk, in its own process).
OUTSIDE_LAMBDA = {"bulk_load"}
# What Powertools' DynamoDBPersistenceLayer calls (get, put, update, and delete on a failed run).
IDEMPOTENCY_ACTIONS = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
FUNCTION = "AWS::Serverless::Function"


def _sources(code_uri: str) -> Iterator[ast.Module]:
    for path in sorted((ROOT / code_uri).rglob("*.py")):
        yield ast.parse(path.read_text(), str(path))


def _receiver_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _outside_lambda(tree: ast.Module) -> set[int]:
    return {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name in OUTSIDE_LAMBDA
            for n in ast.walk(f)}


def table_actions(code_uri: str) -> set[str]:
    """The IAM actions of every Table method the code calls."""
    found = set()
    for tree in _sources(code_uri):
        skip = _outside_lambda(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and id(node) not in skip
                    and _receiver_name(node.func.value) == "table" and node.func.attr not in NOT_ACTIONS):
                found.add(TABLE_ACTIONS[node.func.attr])  # a KeyError: a Table method this test does not know
    return found


def idempotency_prefixes(code_uri: str) -> set[str]:
    """The key prefix of every `Idempotent(table, prefix, model)` in the code."""
    prefixes = set()
    for tree in _sources(code_uri):
        constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                     and isinstance(n.value, ast.Constant) for t in n.targets if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _receiver_name(node.func) == "Idempotent":
                prefix = node.args[1]
                prefixes.add(prefix.value if isinstance(prefix, ast.Constant) else constants[prefix.id])
    return prefixes


def _actions(statement: dict[str, Any]) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def role_statements(cfn: dict[str, Any], function: str) -> list[dict[str, Any]]:
    role = cfn["Resources"][f"{function}Role"]["Properties"]
    return [s for policy in role.get("Policies", []) for s in policy["PolicyDocument"]["Statement"]]


def granted_on(cfn: dict[str, Any], function: str, table: str) -> list[dict[str, Any]]:
    """The statements of the function's role that name `table` in their resources."""
    return [s for s in role_statements(cfn, function) if f'"{table}"' in json.dumps(s["Resource"])
            or f"${{{table}.Arn}}" in json.dumps(s["Resource"])]


def functions(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lid: r["Properties"] for lid, r in raw["Resources"].items() if r["Type"] == FUNCTION}


def own_tables(props: dict[str, Any]) -> list[str]:
    """The capability tables named in the function's environment (the idempotency table apart)."""
    variables = props.get("Environment", {}).get("Variables", {})
    return [v["Ref"] for v in variables.values() if isinstance(v, dict) and str(v.get("Ref", "")).endswith("Table")
            and v["Ref"] != "IdempotencyTable"]


def test_each_function_holds_exactly_the_table_calls_its_code_makes(raw_template: dict[str, Any],
                                                                    transformed: dict[str, Any]) -> None:
    wrong = {}
    for function, props in functions(raw_template).items():
        for table in own_tables(props):
            granted = set().union(*(_actions(s) for s in granted_on(transformed, function, table)))
            used = table_actions(props["CodeUri"])
            if granted != used:
                wrong[f"{function} on {table}"] = {"granted, unused": granted - used, "used, not granted": used - granted}
    assert not wrong, wrong


def test_the_code_reaches_the_tables_it_is_granted(raw_template: dict[str, Any]) -> None:
    # Guards the guard: the derivation must find calls, or the test above would compare empty sets.
    assert table_actions("functions/report/") == {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                                                  "dynamodb:Query"}
    assert "dynamodb:DeleteItem" in table_actions("functions/reviewer/")
    assert "dynamodb:BatchWriteItem" not in table_actions("functions/reviewer/")  # bulk_load is bench's
    calls_of_bulk_load = [p for p in (ROOT / "functions").rglob("*.py") if ".bulk_load(" in p.read_text()]
    assert calls_of_bulk_load == []


def test_no_function_may_scan_or_batch_write(transformed: dict[str, Any]) -> None:
    held = {(role, a) for role, r in transformed["Resources"].items() if r["Type"] == "AWS::IAM::Role"
            for policy in r["Properties"].get("Policies", []) for s in policy["PolicyDocument"]["Statement"]
            for a in _actions(s) if a in {"dynamodb:Scan", "dynamodb:BatchWriteItem", "states:SendTaskFailure"}}
    assert held == set()


def test_an_api_reads_and_writes_only_its_own_idempotency_records(raw_template: dict[str, Any],
                                                                  transformed: dict[str, Any]) -> None:
    seen = {}
    for function, props in functions(raw_template).items():
        prefixes = idempotency_prefixes(props["CodeUri"]) if "QUORUM_IDEMPOTENCY_TABLE" in str(props) else set()
        statements = granted_on(transformed, function, "IdempotencyTable")
        seen[function] = [(sorted(_actions(s)), s.get("Condition")) for s in statements]
        assert seen[function] == [(sorted(IDEMPOTENCY_ACTIONS), {"ForAllValues:StringLike": {
            "dynamodb:LeadingKeys": [f"{p}#*"]}}) for p in sorted(prefixes)], function
    assert {f for f, grants in seen.items() if grants} == {"ReportApiFunction", "RewardApiFunction"}


def _async_services() -> set[str]:
    """Services the code invokes with `asynchronous=True` (their first argument)."""
    found = set()
    for tree in _sources("functions/"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and any(k.arg == "asynchronous" and getattr(k.value, "value", False)
                                                  for k in node.keywords):
                found.add(node.args[0].value)
    return found


def _worker_of(raw: dict[str, Any], service: str) -> str:
    res = raw["Resources"]
    (sid,) = [lid for lid, r in res.items() if r["Type"] == "AWS::ServiceDiscovery::Service"
              and r["Properties"]["Name"] == service]
    (alias,) = [r["Properties"]["InstanceAttributes"]["alias_arn"]["Ref"] for r in res.values()
                if r["Type"] == "AWS::ServiceDiscovery::Instance" and r["Properties"]["ServiceId"] == {"Ref": sid}]
    return str(alias).removesuffix(".Alias")


def test_what_fails_asynchronously_lands_in_the_failed_invocations_queue(raw_template: dict[str, Any]) -> None:
    queue = {"Fn::GetAtt": ["FailedInvocationsQueue", "Arn"]}
    assert _async_services() == {"reviewer", "report"}  # release_seat, substitute_seat
    for service in _async_services():
        config = functions(raw_template)[_worker_of(raw_template, service)]["EventInvokeConfig"]
        assert config["DestinationConfig"]["OnFailure"] == {"Type": "SQS", "Destination": queue}
    schedules = [e["Properties"] for props in functions(raw_template).values()
                 for e in props.get("Events", {}).values() if e["Type"] == "ScheduleV2"]
    assert len(schedules) == 3 and all(s["DeadLetterConfig"] == {"Arn": queue} for s in schedules)
    alarm = raw_template["Resources"]["FailedInvocationsAlarm"]["Properties"]
    assert alarm["Metrics"][0]["MetricStat"]["Metric"]["MetricName"] == "ApproximateNumberOfMessagesVisible"


@pytest.mark.parametrize(("route", "rate", "burst"), [(None, 100, 200), ("POST /v1/reports", 25, 50)])
def test_the_api_throttles_so_one_caller_cannot_flood_it(transformed: dict[str, Any], route: str | None,
                                                         rate: int, burst: int) -> None:
    (stage,) = [r["Properties"] for r in transformed["Resources"].values() if r["Type"] == "AWS::ApiGatewayV2::Stage"]
    settings = stage["RouteSettings"][route] if route else stage["DefaultRouteSettings"]
    assert (settings["ThrottlingRateLimit"], settings["ThrottlingBurstLimit"]) == (rate, burst)
    if route:
        assert route in {f"{m.upper()} {p}" for p, item in transformed["Resources"]["QuorumHttpApi"]["Properties"]
                         ["Body"]["paths"].items() for m in item}



# The service prefix of each client the console's adapters call, and the layer modules they call through.
CONSOLE_CLIENTS = {"lambda": "lambda", "stepfunctions": "states"}
CONSOLE_VIA_LAYER = {"layers/common/quorum_common/machine_versions.py": "states"}  # takes the adapter's client


def _client_calls(tree: ast.Module) -> set[str]:
    """boto3 operations called on a receiver named `client` or `stepfunctions`, and paginators asked for."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "get_paginator":
                found.add(node.args[0].value)
            elif _receiver_name(node.func.value) in {"client", "stepfunctions"} and node.func.attr != "get_paginator":
                found.add(node.func.attr)
    return found


def console_api_actions() -> set[str]:
    """The IAM action of every AWS call the console makes besides its table's (service from the adapter's client)."""
    modules = {path: next((prefix for name, prefix in CONSOLE_CLIENTS.items() if f'client("{name}")' in path.read_text()),
                          "") for path in (ROOT / "functions/console/quorum_console/adapters").glob("*.py")}
    modules |= {ROOT / path: prefix for path, prefix in CONSOLE_VIA_LAYER.items()}
    found = set()
    for path, service in modules.items():
        for operation in _client_calls(ast.parse(path.read_text())):
            found.add(f"{service}:{''.join(word.title() for word in operation.split('_'))}")
    return found


def test_the_console_holds_exactly_the_lambda_and_step_functions_calls_its_code_makes(
        transformed: dict[str, Any]) -> None:
    granted = {(a, json.dumps(s["Resource"])) for s in role_statements(transformed, "ConsoleFunction")
               for a in _actions(s) if not a.startswith("dynamodb:")}
    assert {a for a, _ in granted} == console_api_actions() == {
        "lambda:GetAlias", "states:DescribeStateMachineAlias", "states:ListExecutions"}
    # On the environment's own voting machine: its alias, and the machine whose executions are listed
    assert ("states:DescribeStateMachineAlias", json.dumps({"Fn::Sub": "${VotingStateMachine}:live"})) in granted
    assert ("states:ListExecutions", json.dumps({"Ref": "VotingStateMachine"})) in granted
