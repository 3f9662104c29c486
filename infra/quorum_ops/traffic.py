"""Where a function's traffic goes: the two places it is steered, as one release state.

`Traffic` combines a function's `live` alias (weighted canaries) and, for the workers that serve
RPC, a `canary` instance in Cloud Map (sticky canaries).
"""

from __future__ import annotations

from quorum_ops.aliases import Aliases
from quorum_ops.plan import AliasState, Refused, deployed, format_percent
from quorum_ops.registry import Registration, Registry


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
        return deployed(self.state(function), function)

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
