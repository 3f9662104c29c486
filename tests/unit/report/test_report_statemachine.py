"""The voting state machine's definition: well-formed, guarded, and cheap on the happy path."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ASL = Path(__file__).resolve().parents[3] / "infra" / "statemachines" / "voting.asl.json"
TRANSIENT = {"Lambda.ServiceException", "Lambda.TooManyRequestsException", "TransientError"}


@pytest.fixture(scope="module")
def states() -> dict[str, Any]:
    document = json.loads(ASL.read_text())
    assert document["StartAt"] == "LoadCase" and "QueryLanguage" not in document
    return document["States"]


def _targets(state: dict[str, Any]) -> list[str]:
    nexts = [state.get("Next"), state.get("Default")]
    nexts += [choice["Next"] for choice in state.get("Choices", [])]
    nexts += [catch["Next"] for catch in state.get("Catch", [])]
    return [n for n in nexts if n]


def test_every_transition_leads_to_a_state_and_every_state_is_reachable(states: dict[str, Any]) -> None:
    seen, todo = set(), ["LoadCase"]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += _targets(states[name])
    assert seen == set(states)


def test_every_task_retries_transient_errors_and_catches_everything(states: dict[str, Any]) -> None:
    for name, state in states.items():
        if state["Type"] != "Task":
            continue
        assert TRANSIENT <= set(state["Retry"][0]["ErrorEquals"]), name
        assert "States.Timeout" not in state["Retry"][0]["ErrorEquals"], name
        assert state["Catch"][-1]["ErrorEquals"] == ["States.ALL"], name


def test_a_failure_before_the_decision_escalates_the_case(states: dict[str, Any]) -> None:
    for name in ("LoadCase", "DrawPanel", "OpenRound", "AwaitVotes", "CloseRound", "Decide"):
        assert states[name]["Catch"][-1]["Next"] == "Escalate", name


def test_waiting_tasks_use_the_callback_with_a_timeout(states: dict[str, Any]) -> None:
    votes, ops = states["AwaitVotes"], states["AwaitResolution"]
    for state in (votes, ops):
        assert state["Resource"] == "arn:aws:states:::lambda:invoke.waitForTaskToken"
        assert state["Parameters"]["Payload"]["token.$"] == "$$.Task.Token"
        assert {c["ErrorEquals"][0]: c["Next"] for c in state["Catch"]}["CaseSettled"] == "Decide"
    assert votes["TimeoutSecondsPath"] == "$.window_seconds"
    assert {c["ErrorEquals"][0]: c["Next"] for c in votes["Catch"]}["States.Timeout"] == "CloseRound"
    assert ops["TimeoutSeconds"] >= 86400


def test_a_round_one_decision_takes_at_most_twelve_transitions(states: dict[str, Any]) -> None:
    # The happy path: each task succeeds, the round opens with `await`, a vote completes the token.
    path, name = [], "LoadCase"
    choose = {"Resume": "DrawPanel", "RoundOpened": "AwaitVotes"}
    while True:
        path.append(name)
        state = states[name]
        if state["Type"] in {"Succeed", "Fail"}:
            break
        name = choose.get(name) or state["Next"]
    assert path[-1] == "Decided"
    assert len(path) <= 12, path


def test_only_the_workers_arns_are_substituted_from_the_template() -> None:
    assert set(re.findall(r"\$\{(\w+)\}", ASL.read_text())) == {"ReportWorkerArn", "ReviewerWorkerArn", "RewardWorkerArn"}
