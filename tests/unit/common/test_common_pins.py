"""A state-machine task's pins: the RPC a worker makes for the case invokes the pinned worker version."""

from __future__ import annotations

import io
import json
from typing import Any, Literal

from quorum_common.discovery import Instance
from quorum_common.rpc import RpcClient
from quorum_common.worker import Result, Task, Worker

ALIAS = "arn:aws:lambda:us-east-1:123456789012:function:quorum-dev-reviewer-worker:live"
VERSION_3 = "arn:aws:lambda:us-east-1:123456789012:function:quorum-dev-reviewer-worker:3"


class FakeRegistry:
    namespace = "quorum-dev"

    def instances(self, service: str) -> list[Instance]:
        return [Instance("reviewer-stable", ALIAS)]

    def invalidate(self, service: str) -> None:
        pass


class FakeLambda:
    def __init__(self) -> None:
        self.invoked: list[str] = []

    def invoke(self, FunctionName: str, **_: Any) -> dict[str, Any]:
        self.invoked.append(FunctionName)
        return {"Payload": io.BytesIO(json.dumps({"ok": True}).encode())}


lam = FakeLambda()
client = RpcClient(FakeRegistry(), lambda_client=lam)  # type: ignore[arg-type]
worker = Worker("test")


class Release(Task):
    action: Literal["release_seat"]


class Done(Result):
    ok: bool


@worker.action
def release_seat(task: Release, context: Any) -> Done:
    return Done(ok=client.call("reviewer", "release_seat", {})["ok"])


def test_a_pinned_task_calls_the_pinned_version_and_its_model_never_sees_the_pins() -> None:
    lam.invoked.clear()
    worker.dispatch({"action": "release_seat", "pins": {"reviewer": VERSION_3}}, None)
    assert lam.invoked == [VERSION_3]


def test_a_task_without_pins_calls_what_cloud_map_registers_even_after_a_pinned_one() -> None:
    lam.invoked.clear()
    worker.dispatch({"action": "release_seat", "pins": {"reviewer": VERSION_3}}, None)
    worker.dispatch({"action": "release_seat"}, None)
    assert lam.invoked == [VERSION_3, ALIAS]
