"""Discovery against Cloud Map (moto): cache expiry, background refresh, missing services, tracks."""

from __future__ import annotations

import boto3
import pytest

from quorum_common.discovery import CANARY, ServiceRegistry
from quorum_common.errors import ServiceUnavailable
from quorum_common.rpc import RpcClient

NAMESPACE = "quorum-itest"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def cloud_map(aws: None) -> dict[str, str]:
    """A namespace with a `reviewer` service (one stable instance) and an empty `reward` service."""
    sd = boto3.client("servicediscovery")
    sd.create_http_namespace(Name=NAMESPACE)
    ns_id = next(ns["Id"] for ns in sd.list_namespaces()["Namespaces"] if ns["Name"] == NAMESPACE)
    ids = {name: sd.create_service(Name=name, NamespaceId=ns_id, Type="HTTP")["Service"]["Id"]
           for name in ("reviewer", "reward")}
    register(ids["reviewer"], "reviewer-stable", track="stable", version="1")
    return ids


def register(service_id: str, instance_id: str, **attributes: str) -> None:
    attributes.setdefault("alias_arn", f"arn:aws:lambda:us-east-1:123456789012:function:{instance_id}:live")
    boto3.client("servicediscovery").register_instance(ServiceId=service_id, InstanceId=instance_id,
                                                       Attributes=attributes)


@pytest.fixture
def counted_client() -> tuple[object, list[str]]:
    """A Cloud Map client whose DiscoverInstances calls are counted through a botocore event hook."""
    client = boto3.client("servicediscovery")
    calls: list[str] = []
    client.meta.events.register("before-parameter-build.servicediscovery.DiscoverInstances",
                                lambda params, **_: calls.append(params["ServiceName"]))
    return client, calls


def test_cache_expiry_serves_stale_then_picks_up_a_new_instance(cloud_map, counted_client) -> None:
    client, calls = counted_client
    clock = FakeClock()
    registry = ServiceRegistry(NAMESPACE, ttl=10, clock=clock, client=client)

    assert [i.instance_id for i in registry.instances("reviewer")] == ["reviewer-stable"]
    register(cloud_map["reviewer"], "reviewer-canary", track="canary", version="2", canary_percent="10")
    clock.now = 9.5
    assert len(registry.instances("reviewer")) == 1 and calls == ["reviewer"]  # still cached

    clock.now = 10.0
    stale = registry.instances("reviewer")  # expired: served stale, refresh started in a thread
    registry.join_refreshes(timeout=5)
    assert len(stale) == 1
    assert calls == ["reviewer", "reviewer"]
    refreshed = registry.instances("reviewer")
    assert {(i.track, i.version, i.canary_percent) for i in refreshed} == {("stable", "1", 0), ("canary", "2", 10)}
    assert calls == ["reviewer", "reviewer"]  # the refresh reset the ttl


def test_an_empty_service_is_service_unavailable_for_the_rpc_caller(cloud_map) -> None:
    rpc = RpcClient(ServiceRegistry(NAMESPACE))
    with pytest.raises(ServiceUnavailable) as err:
        rpc.call("reward", "grant", {"case_id": "c1"})
    assert err.value.message == f"no healthy instance of service 'reward' is registered in namespace '{NAMESPACE}'"


@pytest.mark.parametrize("namespace, service", [(NAMESPACE, "billing"), ("quorum-nowhere", "reviewer")])
def test_an_unknown_service_or_namespace_is_service_unavailable(cloud_map, namespace: str, service: str) -> None:
    with pytest.raises(ServiceUnavailable) as err:
        ServiceRegistry(namespace).instances(service)
    assert f"service '{service}' is not registered in namespace '{namespace}'" == err.value.message


def test_a_call_pinned_to_the_canary_track_routes_to_the_canary_instance(cloud_map) -> None:
    register(cloud_map["reviewer"], "reviewer-canary", track="canary", version="2", canary_percent="0")
    rpc = RpcClient(ServiceRegistry(NAMESPACE))
    assert rpc.route("reviewer", track=CANARY).version == "2"
    assert {rpc.route("reviewer", user_id=f"user-{n}").version for n in range(50)} == {"1"}  # share 0 %
