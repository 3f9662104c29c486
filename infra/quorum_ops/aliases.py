"""The `live` alias of each Lambda function, and the versions published for it."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from quorum_common.aws import error_code
from quorum_ops.plan import ALIAS, AliasState, Refused


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
