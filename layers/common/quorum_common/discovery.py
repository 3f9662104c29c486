"""Find a capability's instances in the environment's Cloud Map namespace (Nacos's role in the seed).

Each environment has one HTTP namespace, `quorum-<env>`; each capability (`report`, `reviewer`,
`reward`) is a service in it, and each registered instance names what to invoke:

- `alias_arn`: the Lambda ARN to invoke (the worker's `live` alias, or a version-qualified ARN
  for a canary);
- `track`: `stable` or `canary`;
- `version`: the function version behind it (for logs and `quorum-release status`);
- `canary_percent` (canary instances only): the share of users, 0-100, sent to this track.

`ServiceRegistry` caches each service's healthy instances for `ttl` seconds (10 s, the Nacos
client's pull period). After that it keeps answering from the stale entry and refreshes in a
background thread, so a caller never waits on Cloud Map except for the very first lookup.

`pick_instance` chooses among them: a pinned track wins; otherwise a stable hash of the user id
sends a fixed share of users to the canary track, and raising the share only ever moves users
from stable to canary (sticky canaries: a user does not flip between versions).
"""

from __future__ import annotations

import hashlib
import logging
import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from quorum_common import aws
from quorum_common.errors import InvalidInput, ServiceUnavailable

STABLE = "stable"
CANARY = "canary"
TRACKS = (STABLE, CANARY)
DEFAULT_TTL_SECONDS = 10.0
BUCKETS = 10_000  # basis points: a share can be set to 0.01 %
_MISSING = ("NamespaceNotFound", "ServiceNotFound")

logger = logging.getLogger(__name__)
Clock = Callable[[], float]
Spawn = Callable[[Callable[[], None]], None]


# ---------------------------------------------------------------------- instances and tracks
@dataclass(frozen=True)
class Instance:
    """One registered target of a capability."""

    instance_id: str
    alias_arn: str
    track: str = STABLE
    version: str = ""
    canary_percent: float = 0.0

    @classmethod
    def from_cloud_map(cls, item: dict[str, Any]) -> Instance:
        """Build from one `DiscoverInstances` entry (attributes are strings)."""
        attrs = item.get("Attributes", {})
        return cls(
            instance_id=item["InstanceId"],
            alias_arn=attrs.get("alias_arn", ""),
            track=attrs.get("track", STABLE),
            version=attrs.get("version", ""),
            canary_percent=parse_share(attrs.get("canary_percent")),
        )


def parse_share(raw: str | float | None) -> float:
    """A canary share in percent; anything missing, malformed or out of 0-100 counts as 0 (stable)."""
    try:
        share = float(raw) if raw is not None else 0.0
    except ValueError:
        logger.warning("ignoring malformed canary_percent %r", raw)
        return 0.0
    return share if math.isfinite(share) and 0.0 <= share <= 100.0 else 0.0


def user_bucket(user_id: str) -> int:
    """The user's fixed place in 0..9999: the same id always lands in the same bucket."""
    return int.from_bytes(hashlib.sha256(user_id.encode()).digest(), "big") % BUCKETS


def on_canary(user_id: str | None, percent: float) -> bool:
    """Whether `user_id` belongs to the canary share; anonymous calls always stay on stable."""
    return user_id is not None and user_bucket(user_id) < round(percent * BUCKETS / 100)


def canary_share(instances: Sequence[Instance]) -> float:
    """The share the registry asks for: the largest `canary_percent` of the canary instances."""
    return max((i.canary_percent for i in instances if i.track == CANARY), default=0.0)


def pick_instance(instances: Sequence[Instance], *, user_id: str | None = None, track: str | None = None,
                  canary_percent: float | None = None,
                  choice: Callable[[Sequence[Instance]], Instance] = random.choice) -> Instance | None:
    """The instance to call, or None when the pinned track (or the whole service) has none.

    A pinned `track` is strict. Otherwise the user's track (canary for the sticky share, else
    stable) is preferred, then stable, then whatever is registered: availability beats stickiness.
    `canary_percent` overrides the share the registry asks for.
    """
    if track is not None:
        if track not in TRACKS:
            raise InvalidInput(f"unknown track {track!r}; expected one of {', '.join(TRACKS)}", code="unknown_track")
        return _choose([i for i in instances if i.track == track], choice)
    share = canary_share(instances) if canary_percent is None else canary_percent
    wanted = CANARY if on_canary(user_id, share) else STABLE
    for candidates in ([i for i in instances if i.track == wanted], [i for i in instances if i.track == STABLE],
                       list(instances)):
        if candidates:
            return choice(candidates)
    return None


def _choose(candidates: list[Instance], choice: Callable[[Sequence[Instance]], Instance]) -> Instance | None:
    return choice(candidates) if candidates else None


# ---------------------------------------------------------------------- the cached registry
@dataclass
class _Entry:
    instances: tuple[Instance, ...]
    fetched_at: float


class ServiceRegistry:
    """Healthy instances per service of one namespace, cached with stale-while-refresh.

    `clock` (monotonic seconds) and `spawn` (how a background refresh is started) are injectable
    so tests control time and threads; `client` is a boto3 `servicediscovery` client, built on
    first use when not given.
    """

    def __init__(self, namespace: str, *, ttl: float = DEFAULT_TTL_SECONDS, clock: Clock = time.monotonic,
                 client: Any = None, spawn: Spawn | None = None):
        self.namespace = namespace
        self.ttl = ttl
        self._clock = clock
        self._client = client
        self._spawn = spawn or self._start_thread
        self._entries: dict[str, _Entry] = {}
        self._refreshing: set[str] = set()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def instances(self, service: str) -> tuple[Instance, ...]:
        """The service's healthy instances; raises ServiceUnavailable if Cloud Map cannot say."""
        with self._lock:
            entry = self._entries.get(service)
            fresh = entry is not None and self._clock() - entry.fetched_at < self.ttl
            stale_usable = entry is not None and not fresh and bool(entry.instances)
            start_refresh = stale_usable and service not in self._refreshing
            if start_refresh:
                self._refreshing.add(service)
        if fresh or stale_usable:
            if start_refresh:
                self._spawn(lambda: self._refresh_in_background(service))
            return entry.instances  # type: ignore[union-attr]
        return self.refresh(service)

    def refresh(self, service: str) -> tuple[Instance, ...]:
        """Ask Cloud Map now and cache the answer (also an empty one, for `ttl` seconds)."""
        instances = self._discover(service)
        with self._lock:
            self._entries[service] = _Entry(instances, self._clock())
        return instances

    def invalidate(self, service: str) -> None:
        """Forget the cached entry: the next lookup asks Cloud Map synchronously."""
        with self._lock:
            self._entries.pop(service, None)

    def join_refreshes(self, timeout: float | None = None) -> None:
        """Wait for background refreshes started by the default spawner (tests, shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)

    # ------------------------------------------------------------------ internals
    def _refresh_in_background(self, service: str) -> None:
        try:
            self.refresh(service)
        except ServiceUnavailable as exc:  # keep serving the stale entry; the next call retries
            logger.warning("background refresh of %s failed: %s", service, exc)
        finally:
            with self._lock:
                self._refreshing.discard(service)

    def _start_thread(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name="quorum-discovery-refresh", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _discover(self, service: str) -> tuple[Instance, ...]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            found = self.client.discover_instances(NamespaceName=self.namespace, ServiceName=service,
                                                   HealthStatus="HEALTHY")["Instances"]
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            what = "is not registered" if code in _MISSING else f"could not be discovered ({code})"
            raise ServiceUnavailable(f"service {service!r} {what} in namespace {self.namespace!r}",
                                     code="service_not_registered" if code in _MISSING else "discovery_failed") from exc
        except BotoCoreError as exc:
            raise ServiceUnavailable(f"Cloud Map unreachable while discovering {service!r} in {self.namespace!r}",
                                     code="discovery_failed") from exc
        return tuple(i for i in map(Instance.from_cloud_map, found) if i.alias_arn)

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = aws.client("servicediscovery")
        return self._client
