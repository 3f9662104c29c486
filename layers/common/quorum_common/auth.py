"""Who is calling: the identity the HTTP API's JWT authorizer put into the event.

A module's token also names the one module it speaks for, in the `quorum_module` claim
(`listing`, `post`, ...): it may report only that module's content (issue 15 #12).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quorum_common.errors import PermissionDenied, Unauthenticated
from quorum_common.vocabulary import MODULES, Module

GROUPS = frozenset({"module", "user", "ops"})
MODULE_CLAIM = "quorum_module"


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: `sub` is a user or module id, `groups` its roles, `module` the
    `quorum_module` claim as sent (None when absent)."""

    sub: str
    groups: frozenset[str]
    module: str | None = None

    def require(self, *allowed: str) -> Caller:
        """Return self if the caller is in one of `allowed`, else raise `PermissionDenied`."""
        if self.groups.isdisjoint(allowed):
            raise PermissionDenied(f"This route is for the {' or '.join(allowed)} group.", code="wrong_role")
        return self

    def speaks_for(self) -> Module:
        """The module a module token speaks for; `PermissionDenied` (module_claim_missing) if it names none."""
        for known in MODULES:
            if self.module == known:
                return known
        raise PermissionDenied(f"A module token must carry the {MODULE_CLAIM} claim naming one of "
                               f"{', '.join(MODULES)}.", code="module_claim_missing")

    def require_module(self, module: str) -> Module:
        """`module` if this token speaks for it, else `PermissionDenied` (wrong_module)."""
        own = self.speaks_for()
        if own != module:
            raise PermissionDenied(f"This token speaks for the {own} module, not {module}.", code="wrong_module")
        return own


def parse_groups(raw: Any) -> frozenset[str]:
    """The caller's groups from the claim, in the shapes API Gateway passes it, and nothing else.

    A list claim arrives as a list (the local gateway) or flattened by the HTTP API's JWT authorizer
    into `"[a b]"`; a single-valued claim arrives as the plain name. Only whole names count: a group
    named `user,ops` or `[ops]` is one unknown name, never ops.
    """
    if isinstance(raw, (list, tuple)):
        items = [item for item in raw if isinstance(item, str)]
    elif isinstance(raw, str) and raw.startswith("[") and raw.endswith("]"):
        items = raw[1:-1].split(" ")
    elif isinstance(raw, str):
        items = [raw]
    else:
        items = []
    return frozenset(item for item in items if item and _is_name(item))


def _is_name(item: str) -> bool:
    return item.isascii() and all(ch.isalnum() or ch in "-_" for ch in item)


def caller_from_event(event: Mapping[str, Any]) -> Caller:
    """Read the JWT claims of an HTTP API (payload 2.0) event; raise `Unauthenticated` if absent."""
    claims = (((event.get("requestContext") or {}).get("authorizer") or {}).get("jwt") or {}).get("claims") or {}
    sub = claims.get("sub")
    if not sub:
        raise Unauthenticated("A valid bearer token is required.", code="missing_token")
    module = claims.get(MODULE_CLAIM)
    return Caller(sub=str(sub), groups=parse_groups(claims.get("groups")),
                  module=module if isinstance(module, str) and module else None)
