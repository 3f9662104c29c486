"""Lambda's `GetAlias`, through the common layer's client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quorum_common import aws


class LambdaAliases:
    """Read aliases; a function or alias that does not exist reads as None."""

    def __init__(self, client: Any = None):
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or aws.client("lambda")

    def get(self, function: str, alias: str) -> Mapping[str, Any] | None:
        try:
            answer: Mapping[str, Any] = self.client.get_alias(FunctionName=function, Name=alias)
        except Exception as exc:
            if aws.error_code(exc) == "ResourceNotFoundException":
                return None
            raise
        return answer
