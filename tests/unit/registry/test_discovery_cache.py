"""The registry cache: fresh for `ttl`, then stale-while-refresh; synchronous only with nothing cached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from quorum_common.discovery import ServiceRegistry
from quorum_common.errors import ServiceUnavailable


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeCloudMap:
    """Answers DiscoverInstances from a dict of service -> [(instance id, version)], counting calls."""

    def __init__(self, services: dict[str, list[tuple[str, str]]]):
        self.services = services
        self.calls = 0
        self.failing = False

    def discover_instances(self, *, NamespaceName: str, ServiceName: str, HealthStatus: str) -> dict[str, Any]:
        self.calls += 1
        assert HealthStatus == "HEALTHY"
        if self.failing or ServiceName not in self.services:
            raise ClientError({"Error": {"Code": "ServiceNotFound", "Message": ServiceName}}, "DiscoverInstances")
        return {"Instances": [{"InstanceId": iid, "Attributes": {"alias_arn": f"arn:{iid}", "track": "stable",
                                                                 "version": version}}
                              for iid, version in self.services[ServiceName]]}


class ManualSpawn:
    """Holds background refreshes until the test runs them."""

    def __init__(self) -> None:
        self.pending: list[Callable[[], None]] = []

    def __call__(self, fn: Callable[[], None]) -> None:
        self.pending.append(fn)

    def run_all(self) -> None:
        while self.pending:
            self.pending.pop(0)()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cloud_map() -> FakeCloudMap:
    return FakeCloudMap({"reviewer": [("reviewer-stable", "1")]})


@pytest.fixture
def spawn() -> ManualSpawn:
    return ManualSpawn()


@pytest.fixture
def registry(clock: FakeClock, cloud_map: FakeCloudMap, spawn: ManualSpawn) -> ServiceRegistry:
    return ServiceRegistry("quorum-test", ttl=10, clock=clock, client=cloud_map, spawn=spawn)


def versions(registry: ServiceRegistry, service: str = "reviewer") -> list[str]:
    return [i.version for i in registry.instances(service)]


def test_the_first_lookup_asks_cloud_map_and_later_ones_within_ttl_do_not(registry, cloud_map, clock) -> None:
    assert versions(registry) == ["1"]
    clock.now += 9.9
    assert versions(registry) == ["1"]
    assert cloud_map.calls == 1


def test_after_ttl_the_stale_entry_is_served_while_a_background_refresh_runs(registry, cloud_map, clock, spawn):
    versions(registry)
    cloud_map.services["reviewer"] = [("reviewer-stable", "2")]
    clock.now += 10
    assert versions(registry) == ["1"]  # stale, at once
    assert cloud_map.calls == 1 and len(spawn.pending) == 1
    assert versions(registry) == ["1"]  # one refresh in flight, not two
    assert len(spawn.pending) == 1
    spawn.run_all()
    assert versions(registry) == ["2"]
    assert cloud_map.calls == 2


def test_a_failed_background_refresh_keeps_the_stale_entry_and_retries(registry, cloud_map, clock, spawn) -> None:
    versions(registry)
    cloud_map.failing = True
    clock.now += 11
    assert versions(registry) == ["1"]
    spawn.run_all()
    assert versions(registry) == ["1"]
    assert len(spawn.pending) == 1  # the next call tried again


def test_an_empty_answer_is_cached_but_refreshed_synchronously_once_expired(registry, cloud_map, clock) -> None:
    cloud_map.services["reward"] = []
    assert registry.instances("reward") == ()
    cloud_map.services["reward"] = [("reward-stable", "4")]
    assert registry.instances("reward") == ()  # within ttl
    clock.now += 10
    assert versions(registry, "reward") == ["4"]  # nothing stale worth serving: asked at once


def test_an_unregistered_service_is_service_unavailable_naming_service_and_namespace(registry) -> None:
    with pytest.raises(ServiceUnavailable) as err:
        registry.instances("billing")
    assert "'billing'" in err.value.message and "'quorum-test'" in err.value.message
    assert err.value.code == "service_not_registered"


def test_instances_without_an_alias_arn_are_ignored(clock, spawn) -> None:
    class Partial(FakeCloudMap):
        def discover_instances(self, **kwargs: Any) -> dict[str, Any]:
            return {"Instances": [{"InstanceId": "half", "Attributes": {"track": "stable"}}]}

    assert ServiceRegistry("ns", clock=clock, client=Partial({}), spawn=spawn).instances("x") == ()


def test_invalidate_forces_a_synchronous_lookup(registry, cloud_map) -> None:
    versions(registry)
    cloud_map.services["reviewer"] = [("reviewer-stable", "3")]
    registry.invalidate("reviewer")
    assert versions(registry) == ["3"]


def test_behind_a_custom_endpoint_discovery_skips_the_data_host_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    # DiscoverInstances lives on data-servicediscovery.<region> in AWS; on 127.0.0.1 that prefix breaks the host.
    from quorum_common.aws import client

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL_SERVICEDISCOVERY", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    assert client("servicediscovery").meta.config.inject_host_prefix is False
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    assert client("servicediscovery").meta.config.inject_host_prefix is True
