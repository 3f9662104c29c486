"""How the console and `quorum-release status` read the voting machine's alias and its running cases."""

from __future__ import annotations

from typing import Any

from quorum_common.machine_versions import alias_routes, running_cases, version_of

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:quorum-prod-voting"


def test_alias_routes_name_versions_and_percents_live_first() -> None:
    answer = {"routingConfiguration": [{"stateMachineVersionArn": f"{MACHINE}:8", "weight": 90},
                                       {"stateMachineVersionArn": f"{MACHINE}:9", "weight": 10}]}
    assert alias_routes(answer) == [("8", 90.0), ("9", 10.0)]
    assert (version_of(None), version_of(f"{MACHINE}:12")) == ("-", "12")


def test_running_cases_count_every_page_of_running_executions_by_version() -> None:
    class Pages:
        asked: dict[str, Any] = {}

        def paginate(self, **kwargs: Any) -> list[dict[str, Any]]:
            self.asked.update(kwargs)
            return [{"executions": [{"stateMachineVersionArn": f"{MACHINE}:1"}, {"stateMachineVersionArn": f"{MACHINE}:2"}]},
                    {"executions": [{"stateMachineVersionArn": f"{MACHINE}:1"}, {}]}]

    class Client:
        pages = Pages()

        def get_paginator(self, name: str) -> Pages:
            assert name == "list_executions"
            return self.pages

    client = Client()
    assert running_cases(client, MACHINE) == {"1": 2, "2": 1, "-": 1}
    assert client.pages.asked == {"stateMachineArn": MACHINE, "statusFilter": "RUNNING"}
