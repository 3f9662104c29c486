"""`quorum-release` moves the voting state machine's alias, and `--bake --auto` guards a release (issue 14)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from quorum_ops.commandline import build_parser, check
from quorum_ops.release import connect, main, run

MACHINE = "quorum-local-voting"
WORKER = "quorum-local-reviewer-worker"
ALARM = "quorum-local-release"


@pytest.fixture
def sfn(stack) -> Any:
    return boto3.client("stepfunctions")


@pytest.fixture(autouse=True)
def operator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_OPERATOR", "alice")


def machine_arn(sfn: Any) -> str:
    return next(m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"] if m["name"] == MACHINE)


def publish_machine(sfn: Any) -> str:
    """Publish version 2 of the machine (a new comment makes it a new revision)."""
    arn = machine_arn(sfn)
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"])
    definition["Comment"] += " (v2)"
    return sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(definition),
                                    publish=True)["stateMachineVersionArn"].rsplit(":", 1)[1]


def routing(sfn: Any) -> list[tuple[str, int]]:
    alias = sfn.describe_state_machine_alias(stateMachineAliasArn=f"{machine_arn(sfn)}:live")
    return [(r["stateMachineVersionArn"].rsplit(":", 1)[1], r["weight"]) for r in alias["routingConfiguration"]]


def log() -> list[dict[str, str]]:
    items = boto3.client("dynamodb").scan(TableName="quorum-local-release-log")["Items"]
    return sorted(({k: next(iter(v.values())) for k, v in i.items()} for i in items), key=lambda r: r["sk"])


def release(*argv: str) -> int:
    return main(["--env", "local", *argv])


class Clock:
    """A fake clock the fake sleep moves; `on_sleep` runs at each poll (e.g. to force the alarm)."""

    def __init__(self, on_sleep: Any = None) -> None:
        self.now = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
        self.on_sleep = on_sleep or (lambda: None)
        self.polls = 0

    def sleep(self, seconds: float) -> None:
        self.polls += 1
        self.now += timedelta(seconds=seconds)
        self.on_sleep()


def auto(clock: Clock, *argv: str) -> int:
    parser = build_parser()
    args = check(parser, parser.parse_args(["--env", "local", "canary", "voting", *argv, "--auto"]))
    rel = connect("local", None, None)
    rel.clock, rel.sleep = (lambda: clock.now), clock.sleep
    return run(rel, args)


def set_alarm(state: str, name: str = ALARM) -> None:
    boto3.client("cloudwatch").set_alarm_state(AlarmName=name, StateValue=state, StateReason="test")


# ---------------------------------------------------------------------- moves
def test_canary_of_the_machine_splits_new_cases_and_is_recorded(sfn: Any, capsys) -> None:
    version = publish_machine(sfn)
    assert release("canary", "voting", "--version", version, "--percent", "50") == 0
    assert routing(sfn) == [("1", 50), (version, 50)]
    assert [(r["function"], r["action"], r["before"], r["after"]) for r in log()] == [
        (MACHINE, "canary", "1", f"1 + {version}@50%")]
    capsys.readouterr()
    assert release("status") == 0
    assert f"{MACHINE} 1 version {version} at 50% of new cases" in " ".join(capsys.readouterr().out.split())


def test_promote_rollback_switch_and_switch_back_of_the_machine(sfn: Any) -> None:
    version = publish_machine(sfn)
    release("canary", "voting", "--version", version, "--percent", "10")
    assert release("promote", "voting") == 0
    assert routing(sfn) == [(version, 100)]
    assert release("rollback", "voting") == 0
    assert routing(sfn) == [("1", 100)]
    assert release("switch", "voting", "--version", version) == 0
    assert routing(sfn) == [(version, 100)]
    assert release("switch-back", "voting") == 0
    assert routing(sfn) == [("1", 100)]
    assert [r["action"] for r in log()] == ["canary", "promote", "rollback", "switch", "switch-back"]


@pytest.mark.parametrize(("argv", "why"), [
    (["canary", "voting", "--version", "9", "--percent", "10"], "version 9 of quorum-local-voting is not published"),
    (["canary", "voting", "--version", "2", "--percent", "12.5"], "whole percents"),
    (["canary", "voting", "--version", "2", "--percent", "10", "--sticky"], "already keeps each case on one version"),
    (["promote", "voting"], "no canary to promote"),
    (["rollback", "voting"], "nothing to roll back"),
])
def test_refused_machine_moves_change_nothing(sfn: Any, capsys, argv: list[str], why: str) -> None:
    publish_machine(sfn)
    assert release(*argv) == 2
    assert why in capsys.readouterr().err
    assert routing(sfn) == [("1", 100)]
    assert log() == []


# ---------------------------------------------------------------------- guarded automation
def test_auto_rolls_back_at_the_first_alarm_and_exits_3(sfn: Any) -> None:
    version = publish_machine(sfn)
    clock = Clock(on_sleep=lambda: set_alarm("ALARM"))
    assert auto(clock, "--version", version, "--percent", "50", "--bake", "10m") == 3
    assert routing(sfn) == [("1", 100)]
    assert clock.polls == 1  # rolled back at the first look after the alarm fired, not at the bake's end
    assert [(r["action"], r.get("note", "")) for r in log()] == [
        ("canary", ""), ("rollback", f"auto: alarm {ALARM} went into ALARM during the bake")]


def test_auto_promotes_after_a_quiet_bake_and_exits_0(sfn: Any) -> None:
    version = publish_machine(sfn)
    clock = Clock()
    assert auto(clock, "--version", version, "--percent", "10", "--bake", "10m") == 0
    assert routing(sfn) == [(version, 100)]
    assert clock.now - datetime(2026, 12, 3, 8, 0, tzinfo=UTC) == timedelta(minutes=10)
    assert [(r["action"], r.get("note", "")) for r in log()] == [
        ("canary", ""), ("promote", f"auto: {ALARM} quiet for 10m")]


def test_auto_without_the_alarm_refuses_changes_nothing_and_records_why(sfn: Any, capsys) -> None:
    version = publish_machine(sfn)
    assert release("canary", "voting", "--version", version, "--percent", "10", "--bake", "10m", "--auto",
                   "--alarm", "no-such") == 2
    assert "alarm no-such does not exist" in capsys.readouterr().err
    assert routing(sfn) == [("1", 100)]
    records = log()
    assert [(r["action"], r["before"], r["after"]) for r in records] == [("auto-refused", "1", "1")]
    assert "alarm no-such does not exist" in records[0]["note"]


def test_auto_with_no_data_for_the_whole_bake_does_not_promote(sfn: Any) -> None:
    version = publish_machine(sfn)
    set_alarm("INSUFFICIENT_DATA")
    assert auto(Clock(), "--version", version, "--percent", "10", "--bake", "5m") == 2
    assert routing(sfn) == [("1", 100)]
    assert [r["action"] for r in log()] == ["canary", "rollback"]


def test_allow_no_data_promotes_and_the_log_says_so(sfn: Any) -> None:
    version = publish_machine(sfn)
    set_alarm("INSUFFICIENT_DATA")
    assert auto(Clock(), "--version", version, "--percent", "10", "--bake", "5m", "--allow-no-data") == 0
    assert routing(sfn) == [(version, 100)]
    assert log()[-1]["note"] == "auto: no data, allowed"


def test_a_function_bakes_the_same_way(stack) -> None:
    lam = boto3.client("lambda")
    lam.update_function_configuration(FunctionName=WORKER, Description="v2")
    version = lam.publish_version(FunctionName=WORKER)["Version"]
    parser = build_parser()
    args = check(parser, parser.parse_args(["--env", "local", "canary", "reviewer-worker", "--version", version,
                                            "--percent", "10", "--bake", "1m", "--auto"]))
    rel, clock = connect("local", None, None), Clock(on_sleep=lambda: set_alarm("ALARM"))
    rel.clock, rel.sleep = (lambda: clock.now), clock.sleep
    assert run(rel, args) == 3
    assert lam.get_alias(FunctionName=WORKER, Name="live")["FunctionVersion"] == "1"


@pytest.mark.parametrize(("argv", "why"), [
    (["canary", "voting", "--version", "2", "--percent", "10", "--auto"], "--auto needs --bake"),
    (["canary", "voting", "--version", "2", "--percent", "10", "--bake", "10m"], "go with --auto"),
])
def test_auto_needs_a_bake_and_a_bake_needs_auto(stack, capsys, argv: list[str], why: str) -> None:
    assert release(*argv) == 2
    assert why in capsys.readouterr().err


def test_promote_refuses_an_alarm_with_no_data_unless_allowed(stack, capsys) -> None:
    lam = boto3.client("lambda")
    lam.update_function_configuration(FunctionName=WORKER, Description="v2")
    version = lam.publish_version(FunctionName=WORKER)["Version"]
    release("canary", "reviewer-worker", "--version", version, "--percent", "10")
    set_alarm("INSUFFICIENT_DATA")
    assert release("promote", "reviewer-worker") == 2
    assert "has no data" in capsys.readouterr().err
    assert release("promote", "reviewer-worker", "--allow-no-data") == 0
    assert log()[-1]["note"] == f"allow-no-data: alarm {ALARM} had INSUFFICIENT_DATA"
