"""Local bearer tokens: HS256 JWTs with the claims the marketplace's identity provider issues."""

from __future__ import annotations

import time
import warnings
from typing import Any

import jwt

from quorum_common.auth import MODULE_CLAIM

# The documented local default secret is 16 bytes; PyJWT warns below 32. Local tokens only.
warnings.filterwarnings("ignore", category=jwt.warnings.InsecureKeyLengthWarning)

DEFAULT_SECRET = "local-dev-secret"
ALGORITHM = "HS256"


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not for this API."""




def mint(secret: str, sub: str, groups: list[str], *, issuer: str, audience: str, ttl_seconds: int = 3600,
         module: str | None = None) -> str:
    """A signed token for `sub` in `groups`, valid for `ttl_seconds`; `module` adds the `quorum_module` claim."""
    now = int(time.time())
    claims: dict[str, Any] = {"sub": sub, "groups": groups, "iss": issuer, "aud": audience, "iat": now,
                              "exp": now + ttl_seconds}
    if module:
        claims[MODULE_CLAIM] = module
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(token: str, secret: str, *, issuer: str, audience: str) -> dict[str, Any]:
    """The token's claims, checked as the HTTP API's JWT authorizer would (signature, exp, iss, aud)."""
    try:
        return jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=issuer, audience=audience,
                          options={"require": ["sub", "exp"]})
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc


def flatten_claims(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as API Gateway passes them: strings, with list claims flattened to `"[a b]"`."""
    return {k: "[" + " ".join(map(str, v)) + "]" if isinstance(v, list) else str(v) for k, v in claims.items()}
