"""The RPC client: what it invokes, how it parses results, and which errors the caller sees."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from quorum_common.discovery import CANARY, STABLE, Instance, on_canary
from quorum_common.errors import Conflict, NotFound, QuorumError, RateLimited, ServiceUnavailable
from quorum_common.rpc import RemoteError, RpcClient, default_client, remote_failure

STABLE_ARN = "arn:aws:lambda:us-east-1:1:function:quorum-test-reviewer-worker:live"
CANARY_ARN = "arn:aws:lambda:us-east-1:1:function:quorum-test-reviewer-worker:2"


class FakeRegistry:
    namespace = "quorum-test"

    def __init__(self, instances: dict[str, tuple[Instance, ...]]):
        self._instances = instances
        self.invalidated: list[str] = []

    def instances(self, service: str) -> tuple[Instance, ...]:
        return self._instances.get(service, ())

    def invalidate(self, service: str) -> None:
        self.invalidated.append(service)


class FakeLambda:
    """Records invokes; answers with `result` or, if set, a FunctionError body."""

    def __init__(self, result: Any = None, error: dict[str, Any] | bytes | None = None):
        self.result, self.error = result, error
        self.invokes: list[dict[str, Any]] = []

    def invoke(self, **kwargs: Any) -> dict[str, Any]:
        self.invokes.append({**kwargs, "Payload": json.loads(kwargs["Payload"])})
        if kwargs["InvocationType"] == "Event":
            return {"StatusCode": 202, "Payload": io.BytesIO(b"")}
        if self.error is not None:
            raw = self.error if isinstance(self.error, bytes) else json.dumps(self.error).encode()
            return {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": io.BytesIO(raw)}
        return {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(self.result).encode())}


def registry_with_canary(percent: float = 10) -> FakeRegistry:
    return FakeRegistry({"reviewer": (Instance("reviewer-stable", STABLE_ARN, STABLE, "1"),
                                      Instance("reviewer-canary", CANARY_ARN, CANARY, "2", canary_percent=percent))})


def client(lam: FakeLambda, registry: FakeRegistry | None = None, **kwargs: Any) -> RpcClient:
    return RpcClient(registry or registry_with_canary(), lambda_client=lam, choice=lambda c: c[0], **kwargs)


def test_call_invokes_the_stable_alias_with_the_action_and_returns_the_parsed_result() -> None:
    lam = FakeLambda(result={"panel": ["u1", "u2"]})
    assert client(lam).call("reviewer", "draw_panel", {"case_id": "c1"}) == {"panel": ["u1", "u2"]}
    (sent,) = lam.invokes
    assert sent["FunctionName"] == STABLE_ARN and sent["InvocationType"] == "RequestResponse"
    assert sent["Payload"] == {"action": "draw_panel", "case_id": "c1"}


def test_fire_and_forget_uses_an_event_invocation_and_returns_none() -> None:
    lam = FakeLambda()
    assert client(lam).call("reviewer", "release_seats", {"case_id": "c1"}, asynchronous=True) is None
    assert lam.invokes[0]["InvocationType"] == "Event"


def test_a_user_in_the_canary_share_reaches_the_canary_arn_every_time() -> None:
    user = next(f"u{n}" for n in range(1000) if on_canary(f"u{n}", 10))
    lam = FakeLambda(result={})
    rpc = client(lam)
    for _ in range(3):
        rpc.call("reviewer", "ping", {}, user_id=user)
    assert {i["FunctionName"] for i in lam.invokes} == {CANARY_ARN}


def test_pinning_a_track_and_the_per_service_override() -> None:
    lam = FakeLambda(result={})
    client(lam).call("reviewer", "ping", {}, track=CANARY)
    everyone_stable = client(lam, canary_percent={"reviewer": 0})
    everyone_stable.call("reviewer", "ping", {}, user_id=next(f"u{n}" for n in range(1000) if on_canary(f"u{n}", 10)))
    assert [i["FunctionName"] for i in lam.invokes] == [CANARY_ARN, STABLE_ARN]


@pytest.mark.parametrize("error_type, expected", [("NotFound", NotFound), ("Conflict", Conflict),
                                                  ("ServiceUnavailable", ServiceUnavailable)])
def test_a_remote_domain_error_is_raised_as_the_same_domain_error(error_type: str, expected: type) -> None:
    lam = FakeLambda(error={"errorType": error_type, "errorMessage": "case c1 does not exist"})
    with pytest.raises(expected) as err:
        client(lam).call("reviewer", "draw_panel", {"case_id": "c1"})
    assert err.value.message == "case c1 does not exist"


def test_a_remote_rate_limit_keeps_its_class_with_a_retry_hint() -> None:
    error = remote_failure("reward", "grant", json.dumps({"errorType": "RateLimited", "errorMessage": "slow"}).encode())
    assert isinstance(error, RateLimited) and error.retry_after == 1


@pytest.mark.parametrize("body", [{"errorType": "KeyError", "errorMessage": "'case_id'"},
                                  {"errorType": "UnknownAction", "errorMessage": "no action 'x'"},
                                  {"errorType": "ValueError", "errorMessage": "bad"}])
def test_any_other_remote_failure_is_a_remote_error_not_a_caller_mistake(body: dict[str, str]) -> None:
    with pytest.raises(RemoteError) as err:
        client(FakeLambda(error=body)).call("reviewer", "draw_panel", {})
    assert not isinstance(err.value, QuorumError)
    assert err.value.error_type == body["errorType"] and err.value.service == "reviewer"
    assert body["errorMessage"] in str(err.value)


def test_an_unreadable_error_body_is_still_a_remote_error() -> None:
    with pytest.raises(RemoteError) as err:
        client(FakeLambda(error=b"Task timed out")).call("reviewer", "draw_panel", {})
    assert err.value.error_type == "Unhandled" and "Task timed out" in err.value.message


def test_no_instance_is_service_unavailable_naming_service_and_namespace() -> None:
    with pytest.raises(ServiceUnavailable) as err:
        client(FakeLambda(), FakeRegistry({})).call("reward", "grant", {})
    assert err.value.message == "no healthy instance of service 'reward' is registered in namespace 'quorum-test'"


def test_a_pinned_track_without_an_instance_is_service_unavailable() -> None:
    only_stable = FakeRegistry({"reviewer": (Instance("reviewer-stable", STABLE_ARN),)})
    with pytest.raises(ServiceUnavailable) as err:
        client(FakeLambda(), only_stable).call("reviewer", "ping", {}, track=CANARY)
    assert "no canary instance of service 'reviewer'" in err.value.message


def test_a_payload_carrying_action_is_refused_before_any_invoke() -> None:
    lam = FakeLambda()
    with pytest.raises(ValueError):
        client(lam).call("reviewer", "draw_panel", {"action": "other"})
    assert lam.invokes == []


def test_default_client_needs_a_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    default_client.cache_clear()
    monkeypatch.delenv("QUORUM_NAMESPACE", raising=False)
    with pytest.raises(ServiceUnavailable, match="QUORUM_NAMESPACE"):
        default_client()
    monkeypatch.setenv("QUORUM_NAMESPACE", "quorum-unit")
    try:
        assert default_client().registry.namespace == "quorum-unit"
        assert default_client() is default_client()
    finally:
        default_client.cache_clear()
