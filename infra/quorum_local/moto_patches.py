"""Where moto differs from AWS in a way the local cloud notices, the fix lives here, one per patch.

`apply()` is called by the local cloud and by the tests' `aws` fixture, so tests and `make run`
run on the same moto.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.core.common_models import BaseModel
from moto.dynamodb.responses import DynamoHandler
from moto.servicediscovery.models import ServiceDiscoveryBackend

_original_register = ServiceDiscoveryBackend.register_instance
_original_dynamodb_call = DynamoHandler.call_action
_original_model_new = BaseModel.__new__
_dynamodb_lock = threading.RLock()


def _register_upsert(self: ServiceDiscoveryBackend, service_id: str, instance_id: str,
                     creator_request_id: Any, attributes: Any) -> Any:
    # Cloud Map's RegisterInstance replaces an instance with the same id; moto appends a duplicate.
    service = self.get_service(service_id)
    service.instances = [i for i in service.instances if i.instance_id != instance_id]
    return _original_register(self, service_id, instance_id, creator_request_id, attributes)


def _dynamodb_serialized(self: DynamoHandler) -> Any:
    # moto 5.2's transact_write_items deep-copies tables for rollback and checks conditions with no
    # lock: under threads it loses writes and raises "dictionary changed size during iteration".
    # DynamoDB isolates each request (and serializes transactions on an item), so one request at a
    # time gives the semantics Quorum is written against; threads still interleave between requests.
    with _dynamodb_lock:
        return _original_dynamodb_call(self)


def _untracked_new(cls: type[BaseModel], *args: Any, **kwargs: Any) -> BaseModel:
    # moto keeps every model object it ever made (`instances_tracked`, for its /moto-api view), and
    # TransactWriteItems deep-copies whole tables: the local cloud held every copy of every item
    # forever. DynamoDB's objects are not kept; the others (S3's keys, closed at reset) still are.
    if cls.__module__.startswith("moto.dynamodb."):
        return super(BaseModel, cls).__new__(cls)
    return _original_model_new(cls, *args, **kwargs)


def apply() -> None:
    ServiceDiscoveryBackend.register_instance = _register_upsert
    DynamoHandler.call_action = _dynamodb_serialized
    BaseModel.__new__ = staticmethod(_untracked_new)  # type: ignore[method-assign,assignment]


def revert() -> None:
    ServiceDiscoveryBackend.register_instance = _original_register
    DynamoHandler.call_action = _original_dynamodb_call
    BaseModel.__new__ = staticmethod(_original_model_new)  # type: ignore[method-assign,assignment]
