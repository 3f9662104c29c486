"""`Idempotency-Key` for every API that honours it: one header rule, one Powertools Idempotency helper.

The rule: 1-128 printable ASCII characters without spaces; anything else is 422
`invalid_idempotency_key`. The key is scoped to the caller (`sub`), so two callers never share
keys; the stored answer is bound to the request body, so the same key with another body is 422
`idempotency_key_reused`, and a request still running under the key is 409 `request_in_progress`.
Records live 24 hours in the idempotency table. Powertools (and boto3) are imported on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Generic, TypeVar

from aws_lambda_powertools.event_handler.openapi.params import Header
from pydantic import BaseModel

from quorum_common import aws
from quorum_common.errors import Conflict, InvalidInput

KEY_MAX_LENGTH = 128
KEY_PATTERN = r"^[!-~]{1,128}$"
RETENTION_SECONDS = 24 * 3600
M = TypeVar("M", bound=BaseModel)

# The route parameter that documents the header; the rule itself is checked by `Idempotent`.
IdempotencyKeyHeader = Annotated[str | None, Header(
    alias="idempotency-key", pattern=KEY_PATTERN,
    description="Optional. The same key and body within 24 h return the first answer; another body is 422.")]


class IdempotencyKeyReused(InvalidInput):
    """An `Idempotency-Key` came back with another body."""

    code = "idempotency_key_reused"


class RequestInProgress(Conflict):
    """A request with the same `Idempotency-Key` is still being processed."""

    code = "request_in_progress"


class InvalidIdempotencyKey(InvalidInput):
    """The header breaks the one rule."""

    code = "invalid_idempotency_key"


def check_key(key: str | None) -> str | None:
    """`key` if it follows the rule (None: no key was sent), else `InvalidIdempotencyKey`."""
    if key is None:
        return None
    if not 1 <= len(key) <= KEY_MAX_LENGTH or not all("!" <= ch <= "~" for ch in key):
        raise InvalidIdempotencyKey(f"Idempotency-Key must be 1-{KEY_MAX_LENGTH} printable ASCII characters, "
                                    "without spaces.")
    return key


class Idempotent(Generic[M]):
    """Runs work at most once per (caller, key) and body within a day; replays return its first answer."""

    def __init__(self, table_name: str, prefix: str, model: type[M]):
        self.table_name = table_name
        self.prefix = prefix
        self.model = model
        self._lock = threading.Lock()
        self._built: tuple[Callable[..., M], Any] | None = None

    def __call__(self, caller: str, key: str | None, body: Mapping[str, Any], work: Callable[[], M],
                 lambda_context: Any = None) -> M:
        if check_key(key) is None:
            return work()
        run, config = self._powertools()
        if lambda_context is not None:
            config.register_lambda_context(lambda_context)  # an in-progress record expires with the invocation
        return _translated(run, {"key": f"{caller}#{key}", "body": dict(body)}, work)

    def _powertools(self) -> tuple[Callable[..., M], Any]:
        with self._lock:
            if self._built is None:
                self._built = self._build()
            return self._built

    def _build(self) -> tuple[Callable[..., M], Any]:
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig, idempotent_function
        from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer

        config = IdempotencyConfig(event_key_jmespath="key", payload_validation_jmespath="body",
                                   raise_on_no_idempotency_key=True, expires_after_seconds=RETENTION_SECONDS)
        store = DynamoDBPersistenceLayer(table_name=self.table_name, boto3_client=aws.client("dynamodb"))

        def run(*, request: dict[str, Any], work: Callable[[], M]) -> M:
            return work()

        wrapped = idempotent_function(run, data_keyword_argument="request", persistence_store=store, config=config,
                                      output_serializer=PydanticSerializer(model=self.model), key_prefix=self.prefix)
        return wrapped, config


def _translated(run: Callable[..., M], request: dict[str, Any], work: Callable[[], M]) -> M:
    from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError, IdempotencyValidationError

    try:
        return run(request=request, work=work)
    except IdempotencyValidationError as exc:
        raise IdempotencyKeyReused("This Idempotency-Key was used with another request body.") from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise RequestInProgress("A request with this Idempotency-Key is still in progress; retry shortly.") from exc
