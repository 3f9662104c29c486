"""`quorum-release` on the provisioned stack (moto): moves, refusals, the audit log and the printouts."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from quorum_common.discovery import ServiceRegistry, on_canary
from quorum_common.rpc import RpcClient
from quorum_ops.plan import FUNCTIONS
from quorum_ops.release import main

WORKER = "quorum-local-reviewer-worker"
ALARM = "quorum-local-release"  # the composite release alarm the command checks by default


@pytest.fixture
def lam(stack) -> Any:
    return boto3.client("lambda")


@pytest.fixture(autouse=True)
def operator(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QUORUM_OPERATOR", "alice")
    return "alice"


def publish(lam: Any, function: str = WORKER) -> str:
    """Publish a new version of `function` (a configuration change makes it differ from the last)."""
    current = lam.get_function_configuration(FunctionName=function)
    lam.update_function_configuration(FunctionName=function, Description=f"{current.get('Description', '')}+")
    return lam.publish_version(FunctionName=function)["Version"]


def live(lam: Any, function: str = WORKER) -> tuple[str, dict[str, float]]:
    alias = lam.get_alias(FunctionName=function, Name="live")
    return alias["FunctionVersion"], (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}


def every_alias(lam: Any) -> dict[str, tuple[str, dict[str, float]]]:
    return {short: live(lam, f"quorum-local-{short}") for short in FUNCTIONS}


def release_log() -> list[dict[str, Any]]:
    items = boto3.client("dynamodb").scan(TableName="quorum-local-release-log")["Items"]
    rows = [{k: next(iter(v.values())) for k, v in item.items()} for item in items]
    return sorted(rows, key=lambda r: r["sk"])


def registrations() -> dict[str, dict[str, str]]:
    sd = boto3.client("servicediscovery")
    return {i["Id"]: i["Attributes"] for s in sd.list_services()["Services"]
            for i in sd.list_instances(ServiceId=s["Id"])["Instances"]}


def release(*argv: str) -> int:
    return main(["--env", "local", *argv])


# ---------------------------------------------------------------------- moves
def test_canary_sends_the_share_to_the_new_version(lam, capsys) -> None:
    version = publish(lam)
    assert release("canary", "reviewer-worker", "--version", version, "--percent", "10") == 0
    assert live(lam) == ("1", {version: 0.1})
    assert f"canary: {WORKER} live 1 -> 1 + {version}@10%" in capsys.readouterr().out


def test_a_running_canary_can_be_reweighted(lam) -> None:
    version = publish(lam)
    release("canary", WORKER, "--version", version, "--percent", "10")
    assert release("canary", WORKER, "--version", version, "--percent", "50") == 0
    assert live(lam) == ("1", {version: 0.5})


def test_promote_makes_the_canary_live_with_no_routing_left(lam) -> None:
    version = publish(lam)
    release("canary", WORKER, "--version", version, "--percent", "10")
    assert release("promote", WORKER) == 0
    assert live(lam) == (version, {})


def test_rollback_drops_the_canary(lam) -> None:
    version = publish(lam)
    release("canary", WORKER, "--version", version, "--percent", "25")
    assert release("rollback", WORKER) == 0
    assert live(lam) == ("1", {})


def test_switch_moves_live_at_once_and_switch_back_returns_to_the_previous_version(lam) -> None:
    publish(lam)
    green = publish(lam)
    assert release("switch", WORKER, "--version", green) == 0
    assert live(lam) == (green, {})
    assert release("switch-back", WORKER) == 0
    assert live(lam) == ("1", {})


def test_rollback_after_a_switch_goes_back_to_the_recorded_previous_version(lam) -> None:
    green = publish(lam)
    release("switch", WORKER, "--version", green)
    assert release("rollback", WORKER) == 0
    assert live(lam) == ("1", {})


def test_promote_is_refused_while_the_error_alarm_is_in_alarm(lam, capsys) -> None:
    version = publish(lam)
    release("canary", WORKER, "--version", version, "--percent", "10")
    boto3.client("cloudwatch").set_alarm_state(AlarmName=ALARM, StateValue="ALARM", StateReason="errors")
    capsys.readouterr()
    assert release("promote", WORKER) == 2
    assert f"alarm {ALARM} is in ALARM" in capsys.readouterr().err
    assert live(lam) == ("1", {version: 0.1})
    boto3.client("cloudwatch").set_alarm_state(AlarmName=ALARM, StateValue="OK", StateReason="quiet")
    assert release("promote", WORKER) == 0
    assert live(lam) == (version, {})


# ---------------------------------------------------------------------- sticky canaries (Cloud Map)
REWARD = "quorum-local-reward-worker"


def test_a_sticky_canary_sends_a_fixed_share_of_users_to_the_new_version(lam, capsys) -> None:
    # Given version 2 of the reward worker
    version = publish(lam, REWARD)
    # When it becomes a sticky canary for 10 % of users
    assert release("canary", "reward-worker", "--version", version, "--percent", "10", "--sticky") == 0
    # Then the alias is untouched and Cloud Map has a canary instance for that version and share
    assert live(lam, REWARD) == ("1", {})
    assert registrations()["reward-canary"] == {
        "alias_arn": f"arn:aws:lambda:us-east-1:123456789012:function:{REWARD}:{version}",
        "track": "canary", "version": version, "canary_percent": "10"}
    # And the RPC client sends exactly the users in the share there, every time
    rpc = RpcClient(ServiceRegistry("quorum-local"))
    users = [f"user-{n}" for n in range(300)]
    assert {u: rpc.route("reward", user_id=u).version for u in users} == {
        u: (version if on_canary(u, 10) else "1") for u in users}
    # And status says so
    capsys.readouterr()
    release("status")
    out = capsys.readouterr().out
    assert f"version {version} at 10% of users" in out
    assert "reward-canary" in out


def test_promoting_a_sticky_canary_moves_live_and_removes_the_canary_instance(lam) -> None:
    version = publish(lam, REWARD)
    release("canary", "reward-worker", "--version", version, "--percent", "10", "--sticky")
    assert release("promote", "reward-worker") == 0
    assert live(lam, REWARD) == (version, {})
    assert "reward-canary" not in registrations()
    assert [(r["action"], r["before"], r["after"]) for r in release_log()] == [
        ("canary", "1", f"1 + {version}@10% sticky"), ("promote", f"1 + {version}@10% sticky", version)]


def test_rolling_back_a_sticky_canary_removes_the_canary_instance_only(lam) -> None:
    version = publish(lam, REWARD)
    release("canary", "reward-worker", "--version", version, "--percent", "10", "--sticky")
    assert release("rollback", "reward-worker") == 0
    assert live(lam, REWARD) == ("1", {})
    assert "reward-canary" not in registrations() and "reward-stable" in registrations()


# ---------------------------------------------------------------------- refusals
REFUSALS = [
    (["canary", "billing-worker", "--version", "2", "--percent", "10"], "unknown function 'billing-worker'"),
    (["canary", "quorum-prod-reviewer-worker", "--version", "2", "--percent", "10"], "unknown function"),
    (["canary", WORKER, "--version", "99", "--percent", "10"], f"version 99 of {WORKER} is not published"),
    (["canary", WORKER, "--version", "$LATEST", "--percent", "10"], "$LATEST is not a release"),
    (["canary", WORKER, "--version", "v2", "--percent", "10"], "malformed version 'v2'"),
    (["canary", WORKER, "--version", "2", "--percent", "ten"], "percent must be a number from 0 to 100, not 'ten'"),
    (["canary", WORKER, "--version", "2", "--percent", "150"], "percent must be from 0 to 100, not '150'"),
    (["canary", WORKER, "--version", "2", "--percent", "-5"], "percent must be from 0 to 100, not '-5'"),
    (["canary", WORKER, "--version", "1", "--percent", "10"], "version 1 is already live"),
    (["canary", WORKER, "--version", "3", "--percent", "10"], "a canary of version 2 at 10% is unfinished"),
    (["switch", WORKER, "--version", "3"], "a canary of version 2 is running"),
    (["switch", WORKER, "--version", "$LATEST"], "$LATEST is not a release"),
    (["switch", "reward-worker", "--version", "2"], "version 2 of quorum-local-reward-worker is not published"),
    (["canary", WORKER, "--version", "2", "--percent", "10", "--sticky"], "a canary of version 2 at 10% is unfinished"),
    (["canary", "scheduler", "--version", "2", "--percent", "5", "--sticky"],
     "--sticky needs a function that serves RPC through Cloud Map; quorum-local-scheduler has no stable instance"),
    (["promote", WORKER, "--alarm", "no-such-alarm"], "alarm no-such-alarm does not exist"),
    (["promote", "reward-worker"], "no canary to promote"),
    (["rollback", "reward-worker"], "nothing to roll back"),
    (["switch-back", WORKER], "nothing to roll back: no switch is recorded"),
]


def test_every_refused_move_exits_2_says_why_and_changes_nothing(lam, capsys) -> None:
    # Given versions 2 and 3 of the worker, with 2 as a 10 % canary (and a version 2 of the scheduler)
    publish(lam)
    publish(lam)
    publish(lam, "quorum-local-scheduler")
    assert release("canary", WORKER, "--version", "2", "--percent", "10") == 0
    aliases, log, instances = every_alias(lam), release_log(), registrations()
    capsys.readouterr()
    for argv, message in REFUSALS:  # one stack for all: provisioning is the slow part
        # When the operator asks for a bad move
        code = release(*argv)
        # Then it is refused with a clear message, and no alias or log record moved
        err = capsys.readouterr().err
        assert (code, message in err, "Nothing was changed." in err) == (2, True, True), (argv, err)
        assert every_alias(lam) == aliases, argv
        assert release_log() == log, argv
        assert registrations() == instances, argv


def test_argparse_usage_errors_exit_2_too(lam, capsys) -> None:
    assert release("canary", WORKER, "--version", "2") == 2  # --percent missing
    assert "--percent" in capsys.readouterr().err
    assert main(["--env", "qa", "status"]) == 2


def test_without_a_release_log_table_nothing_is_changed(lam, capsys) -> None:
    version = publish(lam)
    boto3.client("dynamodb").delete_table(TableName="quorum-local-release-log")
    assert release("canary", WORKER, "--version", version, "--percent", "10") == 2
    assert "release-log table quorum-local-release-log does not exist" in capsys.readouterr().err
    assert live(lam) == ("1", {})


# ---------------------------------------------------------------------- the audit log and printouts
def test_every_change_is_recorded_in_order_with_who_what_and_when(lam) -> None:
    two, three = publish(lam), publish(lam)
    steps = [("canary", WORKER, "--version", two, "--percent", "10"), ("promote", WORKER),
             ("switch", "reward-worker", "--version", publish(lam, "quorum-local-reward-worker")),
             ("switch", WORKER, "--version", three), ("switch-back", WORKER), ("rollback", "reward-worker")]
    for step in steps:
        assert release(*step) == 0
    rows = release_log()
    assert [(r["function"], r["action"], r["before"], r["after"]) for r in rows] == [
        (WORKER, "canary", "1", "1 + 2@10%"),
        (WORKER, "promote", "1 + 2@10%", "2"),
        ("quorum-local-reward-worker", "switch", "1", "2"),
        (WORKER, "switch", "2", "3"),
        (WORKER, "switch-back", "3", "2"),
        ("quorum-local-reward-worker", "rollback", "2", "1"),
    ]
    assert [int(r["seq"]) for r in rows] == [1, 2, 3, 4, 5, 6]
    assert {r["who"] for r in rows} == {"alice"}
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows) and rows[0]["at"].endswith("+00:00")


def test_history_prints_the_log_in_order_and_filters_by_function(lam, capsys) -> None:
    version = publish(lam)
    release("canary", WORKER, "--version", version, "--percent", "10")
    release("promote", WORKER)
    release("switch", "reward-worker", "--version", publish(lam, "quorum-local-reward-worker"))
    capsys.readouterr()

    assert release("history") == 0
    lines = [line for line in capsys.readouterr().out.splitlines()[1:]]
    assert [line.split()[4] for line in lines] == ["canary", "promote", "switch"]
    assert "alice" in lines[0] and lines[0].rstrip().endswith("1 -> 1 + 2@10%")

    assert release("history", "reviewer-worker") == 0
    assert [line.split()[4] for line in capsys.readouterr().out.splitlines()[1:]] == ["canary", "promote"]
    assert release("history", "scheduler") == 0
    assert capsys.readouterr().out.strip() == "no releases recorded"


def test_status_shows_aliases_canary_alarm_and_registered_tracks(lam, capsys) -> None:
    version = publish(lam)
    release("canary", WORKER, "--version", version, "--percent", "12.5")
    capsys.readouterr()

    assert release("status") == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith("quorum-local-")}
    assert set(rows) == {f"quorum-local-{f}" for f in (*FUNCTIONS, "voting")}
    assert rows["quorum-local-voting"] == ["1", "-"]
    assert "running cases per version: none" in out
    assert rows[WORKER] == ["1", "version", version, "at", "12.5%", "of", "requests"]
    assert rows["quorum-local-report-api"] == ["1", "-"]
    assert f"alarm {ALARM}: INSUFFICIENT_DATA" in out or f"alarm {ALARM}: OK" in out
    instances = {line.split()[1]: line.split() for line in out.splitlines()
                 if line.startswith(("report ", "reviewer ", "reward "))}
    assert set(instances) == {"report-stable", "reviewer-stable", "reward-stable"}
    assert instances["reviewer-stable"][2:4] == ["stable", "1"]
    assert instances["reviewer-stable"][-1].endswith(":function:quorum-local-reviewer-worker:live")


def test_status_of_an_environment_that_is_not_deployed(aws, capsys) -> None:
    assert main(["--env", "dev", "status"]) == 0
    out = capsys.readouterr().out
    assert "quorum-dev-reviewer-worker" in out and "not deployed" in out
    assert "namespace quorum-dev: not found" in out
