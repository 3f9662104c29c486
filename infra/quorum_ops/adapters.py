"""What the release command reads and changes in AWS (or the local cloud): aliases, log, alarm, registry.

Each adapter wraps one boto3 client and turns "that does not exist" into `Refused` (so the
command stops before any change) and returns plain models, never raw responses. `Traffic`
combines the two places a function's traffic is steered: its `live` alias (weighted canaries)
and, for the workers that serve RPC, a `canary` instance in Cloud Map (sticky canaries).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from quorum_ops.plan import ALIAS, AliasState, Move, Refused, format_percent

LOG_PK = "RELEASE"
_APPEND_ATTEMPTS = 5


def error_code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


# ---------------------------------------------------------------------- Lambda aliases
class Aliases:
    """The `live` alias of each function, and the versions published for it."""

    def __init__(self, lambda_client: Any):
        self.lam = lambda_client

    def state(self, function: str) -> AliasState | None:
        """Where `live` points, or None when the function (or its alias) does not exist."""
        try:
            return AliasState.from_alias(self.lam.get_alias(FunctionName=function, Name=ALIAS))
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None
            raise

    def require_state(self, function: str) -> AliasState:
        state = self.state(function)
        if state is None:
            raise Refused(f"{function} has no {ALIAS!r} alias here: is the environment deployed?")
        return state

    def require_version(self, function: str, version: str) -> None:
        """Refuse a version that was never published (or was deleted)."""
        try:
            self.lam.get_function_configuration(FunctionName=function, Qualifier=version)
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                raise Refused(f"version {version} of {function} is not published") from None
            raise

    def apply(self, function: str, before: AliasState, after: AliasState) -> AliasState:
        """Point `live` at `after`, unless someone moved it since `before` was read."""
        kwargs = {"RevisionId": before.revision_id} if before.revision_id else {}
        try:
            response = self.lam.update_alias(FunctionName=function, Name=ALIAS, FunctionVersion=after.version,
                                             RoutingConfig={"AdditionalVersionWeights": after.weights()}, **kwargs)
        except ClientError as exc:
            if error_code(exc) == "PreconditionFailedException":
                raise Refused(f"{function}'s {ALIAS!r} alias changed while this command ran; look at status "
                              "and try again") from None
            raise
        return AliasState.from_alias(response)


# ---------------------------------------------------------------------- release log
@dataclass(frozen=True)
class Record:
    """One audit record: who moved which function's alias from what to what, and when."""

    seq: int
    at: str
    who: str
    function: str
    action: str
    before: str
    after: str
    from_version: str
    to_version: str
    note: str = ""  # why, when the command decided by itself (--auto) or was told to (--allow-no-data)

    def move(self) -> Move:
        return Move(self.function, self.action, self.from_version, self.to_version)


class ReleaseLog:
    """The environment's release-log table: one partition, records in a gap-free sequence."""

    def __init__(self, dynamodb_client: Any, table: str):
        self.ddb = dynamodb_client
        self.table = table

    def records(self, function: str | None = None) -> list[Record]:
        """Every record (of one function, if given), oldest first."""
        query = {"TableName": self.table, "KeyConditionExpression": "pk = :pk",
                 "ExpressionAttributeValues": {":pk": {"S": LOG_PK}}}
        try:
            pages = self.ddb.get_paginator("query").paginate(**query)
            rows = [_record(item) for page in pages for item in page["Items"]]
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                raise Refused(f"release-log table {self.table} does not exist: is the environment deployed?") from None
            raise
        return [r for r in rows if function is None or r.function == function]

    def append(self, after_seq: int, **fields: str) -> Record:
        """Write the next record; a concurrent writer's seq is skipped, never overwritten."""
        seq = after_seq
        for _ in range(_APPEND_ATTEMPTS):
            seq += 1
            record = Record(seq=seq, **fields)
            try:
                self.ddb.put_item(TableName=self.table, Item=_item(record),
                                  ConditionExpression="attribute_not_exists(sk)")
                return record
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
        raise RuntimeError(f"could not append to {self.table} after {_APPEND_ATTEMPTS} attempts")


def _item(record: Record) -> dict[str, dict[str, str]]:
    item = {"pk": {"S": LOG_PK}, "sk": {"S": f"{record.seq:012d}"}, "seq": {"N": str(record.seq)}}
    for name in ("at", "who", "function", "action", "before", "after", "from_version", "to_version"):
        item[name] = {"S": getattr(record, name)}
    if record.note:
        item["note"] = {"S": record.note}
    return item


def _record(item: dict[str, dict[str, str]]) -> Record:
    fields = {name: item[name]["S"] for name in ("at", "who", "function", "action", "before", "after",
                                                  "from_version", "to_version")}
    return Record(seq=int(item["seq"]["N"]), note=item.get("note", {}).get("S", ""), **fields)


# ---------------------------------------------------------------------- alarms
class Alarms:
    """CloudWatch alarm states."""

    def __init__(self, cloudwatch_client: Any):
        self.cw = cloudwatch_client

    def state(self, name: str) -> str | None:
        """`OK`, `ALARM` or `INSUFFICIENT_DATA`; None when no alarm has that name."""
        found = self.cw.describe_alarms(AlarmNames=[name])
        alarms = found.get("MetricAlarms", []) + found.get("CompositeAlarms", [])
        return alarms[0]["StateValue"] if alarms else None


# ---------------------------------------------------------------------- Cloud Map
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


# ---------------------------------------------------------------------- both, per function
class Traffic:
    """Where a function's traffic goes: its `live` alias, plus a sticky canary instance if it serves RPC."""

    def __init__(self, aliases: Aliases, registry: Registry, namespace: str):
        self.aliases = aliases
        self.registry = registry
        self.namespace = namespace

    def state(self, function: str) -> AliasState | None:
        """The release state, or None when the function is not deployed."""
        alias = self.aliases.state(function)
        if alias is None:
            return None
        canary = self._sticky_canary(function)
        if canary is None:
            return alias
        if alias.canary:
            raise Refused(f"{function} has both a weighted and a sticky canary; remove one by hand first")
        percent = _percent(canary.attributes.get("canary_percent", "0"))
        return AliasState(alias.version, (canary.attributes.get("version", "?"), percent), True, alias.revision_id)

    def require_state(self, function: str) -> AliasState:
        state = self.state(function)
        if state is None:
            raise Refused(f"{function} has no {ALIAS!r} alias here: is the environment deployed?")
        return state

    def require_version(self, function: str, version: str) -> None:
        self.aliases.require_version(function, version)

    def require_rpc_home(self, function: str) -> Registration:
        """The stable instance that routes RPC to `function`; sticky canaries exist only for those."""
        home = next((r for r in self.registry.registrations(self.namespace) or []
                     if r.attributes.get("track") == "stable" and r.serves(function)), None)
        if home is None:
            raise Refused(f"--sticky needs a function that serves RPC through Cloud Map; {function} has no stable "
                          f"instance in namespace {self.namespace}")
        return home

    def apply(self, function: str, before: AliasState, after: AliasState) -> None:
        """Move the alias if its part changed, then register or remove the sticky canary instance."""
        if (before.version, before.weights()) != (after.version, after.weights()):
            self.aliases.apply(function, before, after)
        if after.sticky and after.canary:
            self.registry.register(self._canary_registration(function, *after.canary))
        elif before.sticky:
            for registration in self._sticky_canaries(function):
                self.registry.deregister(registration)

    def _canary_registration(self, function: str, version: str, percent: float) -> Registration:
        home = self.require_rpc_home(function)
        return Registration(home.service, home.service_id, f"{home.service}-canary", {
            "alias_arn": f"{home.attributes['alias_arn'].rsplit(':', 1)[0]}:{version}",
            "track": "canary", "version": version, "canary_percent": format_percent(percent)})

    def _sticky_canary(self, function: str) -> Registration | None:
        found = self._sticky_canaries(function)
        return found[-1] if found else None

    def _sticky_canaries(self, function: str) -> list[Registration]:
        unique = {(r.service_id, r.instance_id): r for r in self.registry.registrations(self.namespace) or []
                  if r.attributes.get("track") == "canary" and r.serves(function)}
        return list(unique.values())


def _percent(raw: str) -> float:
    """A registered share; a malformed one reads as 0 %, as the RPC client treats it."""
    try:
        return float(raw)
    except ValueError:
        return 0.0
