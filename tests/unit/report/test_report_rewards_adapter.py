"""The timeline's view of the reward service: its grants, or nothing when it does not answer."""

from __future__ import annotations

from typing import Any

from quorum_report.adapters.rewards import RpcRewardLedger


class Rpc:
    def __init__(self, answer: Any):
        self.answer = answer
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def call(self, service: str, action: str, payload: dict[str, Any]) -> Any:
        self.calls.append((service, action, payload))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_the_grants_come_from_the_reward_worker_s_case_grants() -> None:
    grants = [{"reviewer_id": "r1", "points": 15, "granted_at": "2026-01-01T00:00:00Z"}]
    rpc = Rpc({"case_id": "c1", "grants": grants})
    assert RpcRewardLedger(rpc).case_grants("c1") == grants
    assert rpc.calls == [("reward", "case_grants", {"case_id": "c1"})]


def test_a_failing_or_odd_reward_service_leaves_the_grants_out() -> None:
    assert RpcRewardLedger(Rpc(RuntimeError("down"))).case_grants("c1") is None
    assert RpcRewardLedger(Rpc({"unexpected": True})).case_grants("c1") is None
