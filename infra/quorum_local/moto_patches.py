"""Where moto differs from AWS in a way the local cloud notices, the fix lives here, one per function."""

from __future__ import annotations

from typing import Any

from moto.servicediscovery.models import ServiceDiscoveryBackend

_original_register = ServiceDiscoveryBackend.register_instance


def _register_upsert(self: ServiceDiscoveryBackend, service_id: str, instance_id: str,
                     creator_request_id: Any, attributes: Any) -> Any:
    # Cloud Map's RegisterInstance replaces an instance with the same id; moto appends a duplicate.
    service = self.get_service(service_id)
    service.instances = [i for i in service.instances if i.instance_id != instance_id]
    return _original_register(self, service_id, instance_id, creator_request_id, attributes)


def apply() -> None:
    ServiceDiscoveryBackend.register_instance = _register_upsert


def revert() -> None:
    ServiceDiscoveryBackend.register_instance = _original_register
