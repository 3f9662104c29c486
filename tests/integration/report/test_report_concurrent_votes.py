"""Twenty votes at one case at the same moment: each panel member counts once, one decision."""

from __future__ import annotations

import threading

import boto3
from report_harness import Api, Inbox, Peers, finished, seated


def test_twenty_concurrent_votes_count_each_member_once_and_decide_once(api: Api, peers: Peers,
                                                                        decisions: Inbox) -> None:
    # Given a 7-seat, 4-to-win panel: four lean violation, three lean no_violation
    peers.reviewer.pool = [f"rev-{i}" for i in range(1, 8)]
    api.put_policy(panel_size=7, votes_to_win=4, vote_window_seconds=600, substitute_rounds=0)
    case_id = api.report().body["case_id"]
    panel = seated(api, case_id, 7)
    verdicts = {r: ("violation" if i < 4 else "no_violation") for i, r in enumerate(panel)}
    voters = [*panel, *panel, "stranger-1", "stranger-2", "stranger-3", "owner-1", "alice", "rev-404"]
    assert len(voters) == 20

    # When all twenty arrive together
    replies: list[tuple[str, object]] = []
    barrier = threading.Barrier(len(voters))

    def vote(reviewer: str) -> None:
        barrier.wait()
        replies.append((reviewer, api.vote(reviewer, case_id, verdicts.get(reviewer, "violation"))))

    threads = [threading.Thread(target=vote, args=(r,)) for r in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then outsiders are refused, nobody is counted twice, and the tally is exactly the 201s
    accepted = [who for who, reply in replies if reply.status == 201]
    assert len(accepted) == len(set(accepted)) and set(accepted) <= set(panel)
    assert sorted(reply.code for who, reply in replies if who not in panel) == ["not_invited"] * 6
    assert {reply.code for who, reply in replies if who in panel and reply.status != 201} <= {"already_voted",
                                                                                             "case_closed"}
    assert sum(reply.body["settled_case"] for _, reply in replies if reply.status == 201) == 1
    message = decisions.wait_for(lambda m: m["body"]["case_id"] == case_id)
    assert finished(case_id)["status"] == "SUCCEEDED"
    view = api.case(case_id).body
    counted = [s["reviewer_id"] for s in view["panel"] if s["status"] == "voted"]
    assert sorted(counted) == sorted(accepted)
    assert view["tally"]["violation"] + view["tally"]["no_violation"] == len(accepted)
    assert message["body"]["decision"] == "violation" and message["body"]["votes_for_violation"] == 4
    assert len([m for m in decisions.drain() if m["body"]["case_id"] == case_id]) == 1
    sfn = boto3.client("stepfunctions")
    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    assert len(sfn.list_executions(stateMachineArn=machine)["executions"]) == 1
