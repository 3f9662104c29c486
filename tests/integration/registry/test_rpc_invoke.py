"""RPC over the provisioned stack: Cloud Map -> the worker's live alias -> the real handler, errors mapped back."""

from __future__ import annotations

import boto3
import pytest

from quorum_common.discovery import CANARY, ServiceRegistry, on_canary
from quorum_common.errors import InvalidInput, QuorumError, ServiceUnavailable
from quorum_common.rpc import RemoteError, RpcClient, default_client

ALIAS_ARN = "arn:aws:lambda:us-east-1:123456789012:function:quorum-local-reward-worker:live"


@pytest.fixture
def rpc(stack) -> RpcClient:
    return RpcClient(ServiceRegistry("quorum-local"))


def test_the_stack_registers_each_capability_with_its_worker_alias(rpc: RpcClient) -> None:
    instance = rpc.route("reward")
    assert (instance.instance_id, instance.track, instance.version) == ("reward-stable", "stable", "1")
    assert instance.alias_arn == ALIAS_ARN


def test_an_unknown_action_reaches_the_real_worker_and_comes_back_as_a_remote_error(rpc: RpcClient) -> None:
    with pytest.raises(RemoteError) as err:
        rpc.call("reward", "no_such_action", {"case_id": "c1"})
    assert not isinstance(err.value, QuorumError)  # a defect on the callee's side, not the caller's mistake
    assert err.value.error_type == "UnknownAction"
    assert "no_such_action" in err.value.message


def test_a_domain_error_of_the_worker_is_raised_as_the_same_domain_error_here(rpc: RpcClient) -> None:
    with pytest.raises(InvalidInput) as err:
        rpc.call("reward", "grant_rewards", {"case_id": 42})
    assert "grant_rewards" in err.value.message


def test_default_client_reads_the_stack_namespace(stack) -> None:
    default_client.cache_clear()
    try:
        assert default_client().route("reward").alias_arn == ALIAS_ARN
    finally:
        default_client.cache_clear()


def test_sticky_canary_users_reach_the_canary_version_of_the_worker(stack, rpc: RpcClient) -> None:
    # Given version 2 of the reward worker registered as a canary for 10 % of users
    lam = boto3.client("lambda")
    lam.update_function_configuration(FunctionName="quorum-local-reward-worker", Description="v2")
    version = lam.publish_version(FunctionName="quorum-local-reward-worker")["Version"]
    sd = boto3.client("servicediscovery")
    service_id = next(s["Id"] for s in sd.list_services()["Services"] if s["Name"] == "reward")
    sd.register_instance(ServiceId=service_id, InstanceId="reward-canary", Attributes={
        "alias_arn": f"{ALIAS_ARN.removesuffix(':live')}:{version}", "track": CANARY, "version": version,
        "canary_percent": "10"})
    rpc.registry.invalidate("reward")
    users = [f"user-{n}" for n in range(200)]
    # When each user is routed, Then the share goes to the canary version, the rest to stable - every time
    routes = {u: rpc.route("reward", user_id=u).version for u in users}
    assert routes == {u: (version if on_canary(u, 10) else "1") for u in users}
    assert {rpc.route("reward", user_id=u).version for u in users if on_canary(u, 10)} == {version}
    # And the canary version really runs the worker
    canary_user = next(u for u in users if on_canary(u, 10))
    with pytest.raises(RemoteError, match="UnknownAction"):
        rpc.call("reward", "no_such_action", {}, user_id=canary_user)


def test_a_registered_function_that_is_gone_is_service_unavailable(stack, rpc: RpcClient) -> None:
    sd = boto3.client("servicediscovery")
    service_id = next(s["Id"] for s in sd.list_services()["Services"] if s["Name"] == "reward")
    sd.register_instance(ServiceId=service_id, InstanceId="reward-ghost", Attributes={
        "alias_arn": "arn:aws:lambda:us-east-1:123456789012:function:quorum-local-gone:live", "track": CANARY})
    rpc.registry.invalidate("reward")
    with pytest.raises(ServiceUnavailable, match="could not invoke 'reward'"):
        rpc.call("reward", "grant_rewards", {}, track=CANARY)


def test_fire_and_forget_returns_at_once_without_the_workers_result(rpc: RpcClient) -> None:
    # An Event invocation reports acceptance (202), never the handler's outcome - not even its failure.
    assert rpc.call("reward", "no_such_action", {"case_id": "c1"}, asynchronous=True) is None
