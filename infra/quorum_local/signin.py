"""Local sign-in: `/local/token`, an endpoint of the local gateway only (never of template.yaml).

The console's sign-in page asks `GET /local/token`; where it answers (the local cloud), the page
offers "User id" and "Role" and trades them for a token with `POST /local/token {sub, groups}`.
A module token also names its module (`module`, the `quorum_module` claim), as ARCHITECTURE.md's
module tokens must. In AWS the path does not exist, and the page offers only the "Bearer token" box. Anyone who can
reach the local gateway can mint a token with the documented secret anyway: this saves the copy.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from quorum_common.http import error_body
from quorum_common.vocabulary import MODULES, EntityId, Module
from quorum_local import tokens

PATH = "/local/token"
TTL_SECONDS = 12 * 3600
GROUPS = ("ops", "user", "module")
Answer = tuple[int, dict[str, str], bytes]


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sub: EntityId
    groups: list[Literal["ops", "user", "module"]] = Field(min_length=1, max_length=3)
    module: Module | None = None

    @model_validator(mode="after")
    def _module_with_module_group(self) -> TokenRequest:
        if ("module" in self.groups) != (self.module is not None):
            raise ValueError("a module token names its module, and only a module token does")
        return self


class LocalSignIn:
    """Mints tokens the gateway itself accepts: its secret, the template's issuer and audience."""

    def __init__(self, secret: str, issuer: str, audience: str):
        self.secret, self.issuer, self.audience = secret, issuer, audience

    def answer(self, method: str, body: bytes) -> Answer:
        if method == "GET":
            return _json(200, {"groups": list(GROUPS), "modules": list(MODULES), "ttl_seconds": TTL_SECONDS, "issuer": self.issuer,
                               "audience": self.audience})
        if method != "POST":
            return _json(405, error_body("method_not_allowed", f"{method} is not allowed on {PATH}."),
                         {"allow": "GET, POST"})
        try:
            request = TokenRequest.model_validate_json(body or b"")
        except ValidationError as exc:
            details = [{"field": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()]
            return _json(422, error_body("validation_error", "Give a user id, at least one role, and a module token's module.",
                                         details))
        token = tokens.mint(self.secret, request.sub, list(dict.fromkeys(request.groups)), issuer=self.issuer,
                            audience=self.audience, ttl_seconds=TTL_SECONDS, module=request.module)
        return _json(201, {"token": token, "sub": request.sub, "groups": request.groups, "module": request.module})


def _json(status: int, value: Any, headers: dict[str, str] | None = None) -> Answer:
    return status, {"content-type": "application/json", "cache-control": "no-store", **(headers or {})}, \
        json.dumps(value).encode()
