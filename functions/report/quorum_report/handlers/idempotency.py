"""`Idempotency-Key` on report intake, with Powertools Idempotency on the idempotency table.

The key is the caller's `sub` plus the header, so two modules never share keys; the body is
the validated payload, so the same key with another body is refused instead of replayed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from quorum_common.errors import Conflict, InvalidInput

KEY_PREFIX = "quorum-report.create_report"
RETENTION_SECONDS = 24 * 3600


@cache
def _runner(table_name: str) -> tuple[Callable[..., dict[str, Any]], Any]:
    # Imported here: Powertools Idempotency pulls in boto3, which a health check should not pay for.
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig, idempotent_function

    config = IdempotencyConfig(event_key_jmespath="key", payload_validation_jmespath="body",
                               raise_on_no_idempotency_key=True, expires_after_seconds=RETENTION_SECONDS)

    @idempotent_function(data_keyword_argument="request", persistence_store=DynamoDBPersistenceLayer(table_name),
                         config=config, key_prefix=KEY_PREFIX)
    def run(request: dict[str, Any], work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        return work()

    return run, config


def once(table_name: str, caller: str, key: str, body: dict[str, Any], work: Callable[[], dict[str, Any]],
         lambda_context: Any = None) -> dict[str, Any]:
    """Run `work` once per (caller, key, body); replay its stored answer for the same request."""
    from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError, IdempotencyValidationError

    run, config = _runner(table_name)
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)  # an in-progress record expires with the invocation
    try:
        return run(request={"key": f"{caller}#{key}", "body": body}, work=work)
    except IdempotencyValidationError:
        raise InvalidInput("This Idempotency-Key was used with another request body.",
                           code="idempotency_key_reused") from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict("A request with this Idempotency-Key is still in progress.",
                       code="request_in_progress") from None
