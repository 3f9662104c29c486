"""The stuck-case sweep on moto: a stopped execution is replaced and the case carries on."""

from __future__ import annotations

import json

import boto3
from report_harness import Api, Inbox, Peers, eventually, execution, seated


def _sweep() -> dict:
    reply = boto3.client("lambda").invoke(FunctionName="quorum-local-report-worker:live", Payload=json.dumps(
        {"action": "sweep_stuck_cases", "stale_after_seconds": 0}).encode())
    assert "FunctionError" not in reply, reply["Payload"].read()
    return json.loads(reply["Payload"].read())


def test_a_stopped_execution_is_replaced_and_the_case_carries_on(api: Api, peers: Peers,
                                                                   decisions: Inbox) -> None:
    # Given a case whose execution is stopped in the middle of its panel draw
    peers.reviewer.pool = [f"rev-{i}" for i in range(1, 6)]
    peers.reviewer.draw_gate.clear()
    api.put_policy(panel_size=3, votes_to_win=2, vote_window_seconds=600)
    case_id = api.report().body["case_id"]
    eventually(lambda: peers.reviewer.calls["draw_panel"])
    sfn = boto3.client("stepfunctions")
    sfn.stop_execution(executionArn=execution(case_id)["executionArn"])
    peers.reviewer.draw_gate.set()
    assert eventually(lambda: execution(case_id)["status"] != "RUNNING")  # ABORTED in AWS, FAILED in moto
    assert api.case(case_id).body["status"] == "voting" and api.case(case_id).body["panel"] == []

    # When the scheduled sweep runs, a new execution takes over (and a second sweep leaves it be)
    assert _sweep() == {"checked": 1, "restarted": [case_id], "redriven": [], "given_up": []}
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    arn = machine.replace(":stateMachine:", ":execution:") + f":{case_id}-r1"
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    assert _sweep()["restarted"] == []

    # Then the case is drawn and decided as if nothing happened
    panel = seated(api, case_id, 3)
    assert [api.vote(r, case_id, "no_violation").status for r in panel[:2]] == [201, 201]
    message = decisions.wait_for(lambda m: m["body"]["case_id"] == case_id)
    assert message["body"]["decision"] == "no_violation"
    assert eventually(lambda: sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED")
    assert "execution_restarted" in [e["event"] for e in api.case(case_id).body["timeline"]]
