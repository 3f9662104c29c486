"""The environment's Cloud Map namespace: where RPC is routed, and the sticky canary instances."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Registration:
    """One instance registered in the environment's namespace."""

    service: str
    service_id: str
    instance_id: str
    attributes: dict[str, str]

    def serves(self, function: str) -> bool:
        """Whether this instance sends traffic to `function` (its alias or one of its versions)."""
        return f":function:{function}:" in self.attributes.get("alias_arn", "") + ":"


class Registry:
    """A Cloud Map namespace: its services' instances, and the canary instances the command manages."""

    def __init__(self, servicediscovery_client: Any):
        self.sd = servicediscovery_client

    def registrations(self, namespace: str) -> list[Registration] | None:
        """Every instance of every service in `namespace`; None when the namespace does not exist."""
        ns_id = self._namespace_id(namespace)
        if ns_id is None:
            return None
        services = self._all("list_services", "Services",
                             Filters=[{"Name": "NAMESPACE_ID", "Values": [ns_id], "Condition": "EQ"}])
        return [Registration(svc["Name"], svc["Id"], inst["Id"], dict(inst.get("Attributes", {})))
                for svc in sorted(services, key=lambda s: s["Name"])
                for inst in sorted(self._all("list_instances", "Instances", ServiceId=svc["Id"]),
                                   key=lambda i: i["Id"])]

    def register(self, registration: Registration) -> None:
        """Create or update the instance (Cloud Map's RegisterInstance is an upsert)."""
        self.sd.register_instance(ServiceId=registration.service_id, InstanceId=registration.instance_id,
                                  Attributes=registration.attributes)

    def deregister(self, registration: Registration) -> None:
        self.sd.deregister_instance(ServiceId=registration.service_id, InstanceId=registration.instance_id)

    def _namespace_id(self, namespace: str) -> str | None:
        return next((ns["Id"] for ns in self._all("list_namespaces", "Namespaces") if ns["Name"] == namespace), None)

    def _all(self, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        pages = self.sd.get_paginator(operation).paginate(**kwargs)
        return [item for page in pages for item in page[key]]
