"""Where moto differs from AWS in a way the local cloud notices, the fix lives here, one per patch.

`apply()` is called by the local cloud and by the tests' `aws` fixture, so tests and `make run`
run on the same moto.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.common_models import BaseModel
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler
from moto.servicediscovery.models import ServiceDiscoveryBackend

from quorum_local import moto_stepfunctions

_original_register = ServiceDiscoveryBackend.register_instance
_original_dynamodb_call = DynamoHandler.call_action
_original_model_new = BaseModel.__new__
_original_transact = DynamoDBBackend.transact_write_items
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


def _put_composite_alarm(self: CloudWatchResponse) -> Any:
    # moto stores composite alarms (an AlarmRule) through PutMetricAlarm but routes no PutCompositeAlarm.
    return self.put_metric_alarm()


def _untracked_new(cls: type[BaseModel], *args: Any, **kwargs: Any) -> BaseModel:
    # moto keeps every model object it ever made (`instances_tracked`, for its /moto-api view), and
    # TransactWriteItems deep-copies whole tables: the local cloud held every copy of every item
    # forever. DynamoDB's objects are not kept; the others (S3's keys, closed at reset) still are.
    if cls.__module__.startswith("moto.dynamodb."):
        return super(BaseModel, cls).__new__(cls)
    return _original_model_new(cls, *args, **kwargs)


def _transact_with_undo_log(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    # moto deep-copies every touched table before a transaction, for its rollback: O(table) per
    # request, so the local cloud slowed down as its tables grew. An undo log of the touched items
    # does the same rollback; the original's table snapshot becomes a no-op (requests are serialized).
    undo = [saved for entry in transact_items if (saved := _saved_item(self, next(iter(entry.values()))))]
    Table.__deepcopy__ = lambda table, memo: table  # type: ignore[attr-defined]
    try:
        return _original_transact(self, transact_items)
    except Exception:
        for table, hash_key, range_key, item in reversed(undo):
            _restore(table, hash_key, range_key, item)
        raise
    finally:
        del Table.__deepcopy__  # type: ignore[attr-defined]


def _saved_item(backend: DynamoDBBackend, op: dict[str, Any]) -> tuple[Table, DynamoType, DynamoType | None, Any] | None:
    table = backend.tables.get(op.get("TableName", ""))
    attrs = op.get("Item") or op.get("Key") or {}
    if table is None or table.hash_key_attr not in attrs:
        return None  # the original refuses the transaction before it writes anything
    hash_key = DynamoType(attrs[table.hash_key_attr])
    range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr in attrs else None
    current = table.items.get(hash_key, {}).get(range_key) if range_key else table.items.get(hash_key)
    return table, hash_key, range_key, copy.deepcopy(current)


def _restore(table: Table, hash_key: DynamoType, range_key: DynamoType | None, item: Any) -> None:
    if range_key is None:
        table.items.pop(hash_key, None) if item is None else table.items.__setitem__(hash_key, item)
    elif item is None:
        table.items.get(hash_key, {}).pop(range_key, None)
    else:
        table.items.setdefault(hash_key, {})[range_key] = item


def apply() -> None:
    CloudWatchResponse.put_composite_alarm = _put_composite_alarm  # type: ignore[attr-defined]
    ServiceDiscoveryBackend.register_instance = _register_upsert  # type: ignore[method-assign]
    DynamoHandler.call_action = _dynamodb_serialized  # type: ignore[method-assign]
    moto_stepfunctions.apply()
    BaseModel.__new__ = staticmethod(_untracked_new)  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = _transact_with_undo_log  # type: ignore[method-assign]


def revert() -> None:
    if "put_composite_alarm" in vars(CloudWatchResponse):
        del CloudWatchResponse.put_composite_alarm  # type: ignore[attr-defined]
    ServiceDiscoveryBackend.register_instance = _original_register  # type: ignore[method-assign]
    DynamoHandler.call_action = _original_dynamodb_call  # type: ignore[method-assign]
    moto_stepfunctions.revert()
    BaseModel.__new__ = staticmethod(_original_model_new)  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = _original_transact  # type: ignore[method-assign]
