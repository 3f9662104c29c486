"""Issue 15 #1: an AccessDenied from Step Functions is a defect of the role, not a quiet no-op.

The deciding vote whose SendTaskSuccess is denied answers 500 in the error format, and the
report API counts `StepFunctionsAccessDenied` (EMF), which the template's alarm watches. A
denied StartExecution at report time keeps the accepted report (202): it is counted the same
way, and the stuck-case sweeper, with its own grant, starts the execution later.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from report_harness import Api, Peers, parked, seated


class DenyingStepFunctions:
    """The real client, except that `denied` operations answer AccessDeniedException."""

    def __init__(self, real: Any, *denied: str):
        self.real, self.denied, self.calls = real, set(denied), []

    def __getattr__(self, name: str) -> Any:
        if name not in self.denied:
            return getattr(self.real, name)

        def refuse(**_: Any) -> None:
            self.calls.append(name)
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not authorized"}}, name)
        return refuse


def _denied_metrics(out: str) -> list[float]:
    """The StepFunctionsAccessDenied values of the EMF lines Powertools printed."""
    values = []
    for line in out.splitlines():
        if "StepFunctionsAccessDenied" in line and line.startswith("{"):
            blob = json.loads(line)
            values.append(blob["StepFunctionsAccessDenied"])
    return [v for value in values for v in (value if isinstance(value, list) else [value])]


def _deny(monkeypatch: pytest.MonkeyPatch, *operations: str) -> DenyingStepFunctions:
    from quorum_report.handlers.wiring import api_deps  # imported under the stack's environment

    workflow = api_deps().workflow
    denying = DenyingStepFunctions(workflow.client, *operations)
    monkeypatch.setattr(workflow, "_client", denying)
    return denying


def test_a_denied_callback_answers_500_and_is_counted(api: Api, peers: Peers, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # Given a one-seat, one-vote case parked on its callback
    peers.reviewer.pool = ["rev-1"]
    assert api.put_policy(panel_size=1, votes_to_win=1, vote_window_seconds=600).status == 200
    case_id = api.report().body["case_id"]
    seated(api, case_id, 1)
    parked()
    denying = _deny(monkeypatch, "send_task_success")
    capsys.readouterr()

    # When the deciding vote's SendTaskSuccess is denied
    reply = api.vote("rev-1", case_id)

    # Then the reviewer sees a 500 in the error format, tried once (a denial is not retried), and it is counted
    assert (reply.status, reply.code) == (500, "internal_error")
    assert denying.calls == ["send_task_success"]
    assert _denied_metrics(capsys.readouterr().out) == [1.0]


def test_a_denied_start_keeps_the_report_and_is_counted(api: Api, peers: Peers, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert api.put_policy(panel_size=1, votes_to_win=1, vote_window_seconds=600).status == 200
    _deny(monkeypatch, "start_execution")
    capsys.readouterr()

    accepted = api.report()

    assert accepted.status == 202 and accepted.body["status"] == "voting"
    assert _denied_metrics(capsys.readouterr().out) == [1.0]
