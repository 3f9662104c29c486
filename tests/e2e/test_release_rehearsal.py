"""A release rehearsed on the local cloud: version-pinned cases through a 50 % canary of the state machine.

Version 2 of the report worker adds a field to every output (a visible behaviour change), and
version 2 of the state machine names it. Twenty cases opened during the canary each run one
state-machine version from start to finish, and every task of a case is served by the worker
version that state-machine version names; the report worker's outputs show which code ran.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from e2e_cloud import LocalCloudProcess

from quorum_local.journeys import Journey, poll
from quorum_local.template import ROOT
from quorum_ops.release import main as release_main

pytestmark = pytest.mark.e2e
MACHINE = "quorum-local-voting"
CASES = 20
V2_WORKER = '''

_released_handler = handler


def handler(event, context):  # version 2 of the rehearsal: the same answer, plus a field saying so
    out = _released_handler(event, context)
    return {**out, "rehearsal": "v2"} if isinstance(out, dict) else out
'''


def quorum_local(cloud: LocalCloudProcess, *argv: str) -> str:
    env = {**os.environ, "QUORUM_AWS_PORT": cloud.aws_url.rsplit(":", 1)[1]}
    done = subprocess.run([sys.executable, "-m", "quorum_local.cli", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def release(cloud: LocalCloudProcess, *argv: str) -> int:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    return release_main(["--env", "local", "--endpoint-url", cloud.aws_url, "--region", "us-east-1", *argv])


def version_2_tree(tmp: Path) -> Path:
    """A copy of the code with the report worker's visible change."""
    for part in ("functions/report", "layers/common", "infra/statemachines"):
        shutil.copytree(ROOT / part, tmp / part, ignore=shutil.ignore_patterns("__pycache__"))
    worker = tmp / "functions/report/quorum_report/handlers/worker.py"
    worker.write_text(worker.read_text() + V2_WORKER)
    return tmp


def served(sfn: Any, execution_arn: str) -> list[tuple[str, dict[str, Any]]]:
    """(function version ARN, the worker's output) of every Lambda task the execution ran, in order.

    A callback task's output is the callback's, not the worker's: it is left empty.
    """
    events = sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
    tasks: list[tuple[str, dict[str, Any]]] = []
    for event in events:
        if event["type"] == "LambdaFunctionScheduled":
            tasks.append((event["lambdaFunctionScheduledEventDetails"]["resource"], {}))
        elif event["type"] == "TaskScheduled":
            tasks.append((json.loads(event["taskScheduledEventDetails"]["parameters"])["FunctionName"], {}))
        elif event["type"] == "LambdaFunctionSucceeded":
            tasks[-1] = (tasks[-1][0], json.loads(event["lambdaFunctionSucceededEventDetails"]["output"]))
    return tasks


def pinned_workers(sfn: Any, version_arn: str) -> set[str]:
    definition = sfn.describe_state_machine(stateMachineArn=version_arn)["definition"]
    return {arn for arn in _strings(json.loads(definition)) if ":function:" in arn}


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def check_pinned(sfn: Any, execution_arn: str) -> str:
    """The execution's machine version; every task it ran was served by a worker version that version names."""
    described = sfn.describe_execution(executionArn=execution_arn)
    version_arn = described["stateMachineVersionArn"]
    names = pinned_workers(sfn, version_arn)
    tasks = served(sfn, execution_arn)
    assert tasks, execution_arn
    for function_arn, output in tasks:
        assert function_arn in names, (execution_arn, function_arn, names)
        assert function_arn.rsplit(":", 1)[1].isdigit(), f"{function_arn} is not a version"
        report_v2 = function_arn.endswith("report-worker:2")
        assert (output.get("rehearsal") == "v2") == (report_v2 and bool(output)), (function_arn, output)
    return version_arn.rsplit(":", 1)[1]


def test_a_canary_of_the_state_machine_keeps_each_case_on_one_version(local_cloud: LocalCloudProcess,
                                                                      tmp_path: Path, capsys) -> None:
    sfn = local_cloud.client("stepfunctions")
    journey = Journey(local_cloud.api_url, local_cloud.mint, "post")
    journey.set_policy(panel_size=1, votes_to_win=1, min_votes=1, vote_window_seconds=300, substitute_rounds=0)
    journey.enroll_pool(CASES)
    # Given version 2 of the report worker (a visible change) and of the machine, which names it
    tree = version_2_tree(tmp_path)
    assert "version 2" in quorum_local(local_cloud, "publish", "report-worker", "--from", str(tree))
    published = quorum_local(local_cloud, "publish", "voting", "--from", str(tree))
    assert "version 2 (names report-worker:2, reviewer-worker:1, reward-worker:1)" in published
    # When the machine's canary takes 50 % of new cases and twenty cases open
    assert release(local_cloud, "canary", "voting", "--version", "2", "--percent", "50") == 0
    reports = [journey.report(f"post-{uuid.uuid4().hex[:8]}", f"buyer-{i}") for i in range(CASES)]
    panels = {r["case_id"]: journey.seats(r["case_id"], 1, 1)[0] for r in reports}
    # Then status counts the running cases each version holds
    capsys.readouterr()
    assert release(local_cloud, "status") == 0
    held = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("running cases"))
    counts = {int(v): int(n) for v, n in (part.removeprefix("version ").split(": ")
                                          for part in held.split(": ", 1)[1].split(", "))}
    assert sum(n for v, n in counts.items() if v in (1, 2)) >= CASES and counts.get(1) and counts.get(2)
    # And each case, decided, ran one machine version from start to finish on the workers it names
    for case_id, reviewer in panels.items():
        assert journey.vote(case_id, reviewer, "violation").status_code == 201
    arns = {case_id: f"arn:aws:states:us-east-1:123456789012:execution:{MACHINE}:{case_id}" for case_id in panels}
    poll(lambda: all(sfn.describe_execution(executionArn=a)["status"] == "SUCCEEDED" for a in arns.values()),
         deadline_s=60, what="every case decided")
    versions = [check_pinned(sfn, arn) for arn in arns.values()]
    assert set(versions) == {"1", "2"}
    # When the canary is promoted, new cases run version 2; after a rollback, version 1 again
    assert release(local_cloud, "promote", "voting", "--allow-no-data") == 0
    after_promote = journey.report(f"post-{uuid.uuid4().hex[:8]}", "buyer-promoted")["case_id"]
    journey.seats(after_promote, 1, 1)
    assert check_pinned(sfn, arns[next(iter(arns))].rsplit(":", 1)[0] + f":{after_promote}") == "2"
    assert release(local_cloud, "rollback", "voting") == 0
    after_rollback = journey.report(f"post-{uuid.uuid4().hex[:8]}", "buyer-rolled-back")["case_id"]
    journey.seats(after_rollback, 1, 1)
    assert check_pinned(sfn, arns[next(iter(arns))].rsplit(":", 1)[0] + f":{after_rollback}") == "1"


def aws_cli(cloud: LocalCloudProcess, *argv: str) -> None:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
           "AWS_DEFAULT_REGION": "us-east-1"}
    done = subprocess.run(["aws", "--endpoint-url", cloud.aws_url, *argv], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr


def release_process(cloud: LocalCloudProcess, *argv: str) -> subprocess.Popen[str]:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": cloud.aws_url, "QUORUM_OPERATOR": "rehearsal"}
    return subprocess.Popen([sys.executable, "-m", "quorum_ops.release", *argv], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_auto_rolls_back_when_the_alarm_is_forced_and_refuses_without_one(local_cloud: LocalCloudProcess) -> None:
    sfn = local_cloud.client("stepfunctions")
    version = quorum_local(local_cloud, "publish", "voting").split(" version ")[1].split()[0]
    machine = next(m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"] if m["name"] == MACHINE)
    live_before = sfn.describe_state_machine_alias(stateMachineAliasArn=f"{machine}:live")["routingConfiguration"]
    # When the operator bakes a canary and the release alarm is forced into ALARM during the bake
    baking = release_process(local_cloud, "canary", "voting", "--version", version, "--percent", "50",
                             "--bake", "4s", "--auto")
    poll(lambda: len(sfn.describe_state_machine_alias(stateMachineAliasArn=f"{machine}:live")
                     ["routingConfiguration"]) == 2, deadline_s=30, what="the canary to start")
    aws_cli(local_cloud, "cloudwatch", "set-alarm-state", "--alarm-name", "quorum-local-release",
            "--state-value", "ALARM", "--state-reason", "rehearsal")
    try:
        out, _ = baking.communicate(timeout=60)
    finally:
        aws_cli(local_cloud, "cloudwatch", "set-alarm-state", "--alarm-name", "quorum-local-release",
                "--state-value", "OK", "--state-reason", "rehearsal over")
    # Then it rolled back and exited 3, and the log says why
    assert baking.returncode == 3, out
    assert sfn.describe_state_machine_alias(stateMachineAliasArn=f"{machine}:live")["routingConfiguration"] == \
        live_before
    # And without the alarm it refuses (exit 2) and moves nothing, recording the attempt
    refused = release_process(local_cloud, "canary", "voting", "--version", version, "--percent", "50",
                              "--bake", "4s", "--auto", "--alarm", "quorum-local-no-such-alarm")
    out, _ = refused.communicate(timeout=60)
    assert refused.returncode == 2 and "does not exist" in out
    assert sfn.describe_state_machine_alias(stateMachineAliasArn=f"{machine}:live")["routingConfiguration"] == \
        live_before
    history = release_process(local_cloud, "history", "voting").communicate(timeout=60)[0].splitlines()
    tail = [line.split()[4] for line in history[-3:]]
    assert tail == ["canary", "rollback", "auto-refused"], history
