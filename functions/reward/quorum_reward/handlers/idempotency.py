"""Redemptions made idempotent with Powertools Idempotency on the shared idempotency table (handler wiring).

The key is the caller's `sub` plus their `Idempotency-Key` (one user's key never answers
another's request); the payload hash covers `item_id` and `quantity`, so the same key with
another body is refused. Powertools (and so boto3) is imported on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from quorum_reward.adapters.dynamo import dynamodb_client
from quorum_reward.domain.errors import IdempotencyKeyReused, RequestInProgress
from quorum_reward.domain.mall import Redemption
from quorum_reward.service.mall import Redeem

KEY_PREFIX = "quorum-reward.redemption"
KEY_JMESPATH = "[user_id, idempotency_key]"
PAYLOAD_JMESPATH = "[item_id, quantity]"
EXPIRES_AFTER_SECONDS = 24 * 3600


class IdempotentRedeemer:
    """Calls `run(command)` at most once per (user, key) within a day; replays return the first result."""

    def __init__(self, table_name: str, run: Callable[[Redeem], Redemption], client: Any | None = None):
        self.table_name = table_name
        self.run = run
        self.client = client
        self._lock = threading.Lock()
        self._wrapped: Callable[..., Redemption] | None = None
        self._config: Any = None

    def __call__(self, command: Redeem, lambda_context: Any = None) -> Redemption:
        if command.idempotency_key is None:
            return self.run(command)
        wrapped = self._build()
        if lambda_context is not None:
            self._config.register_lambda_context(lambda_context)
        return _translated(wrapped, command)

    def _build(self) -> Callable[..., Redemption]:
        with self._lock:
            if self._wrapped is None:
                self._wrapped, self._config = self._powertools()
            return self._wrapped

    def _powertools(self) -> tuple[Callable[..., Redemption], Any]:
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig, idempotent_function
        from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer

        config = IdempotencyConfig(event_key_jmespath=KEY_JMESPATH, payload_validation_jmespath=PAYLOAD_JMESPATH,
                                   raise_on_no_idempotency_key=True, expires_after_seconds=EXPIRES_AFTER_SECONDS)
        store = DynamoDBPersistenceLayer(table_name=self.table_name, boto3_client=self.client or dynamodb_client())
        run = self.run

        def redeem_once(*, command: Redeem) -> Redemption:
            return run(command)

        wrapped = idempotent_function(redeem_once, data_keyword_argument="command", persistence_store=store,
                                      config=config, output_serializer=PydanticSerializer(model=Redemption),
                                      key_prefix=KEY_PREFIX)
        return wrapped, config


def _translated(wrapped: Callable[..., Redemption], command: Redeem) -> Redemption:
    from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError, IdempotencyValidationError

    try:
        return wrapped(command=command)
    except IdempotencyValidationError as exc:
        raise IdempotencyKeyReused("This Idempotency-Key was used with another request body.") from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise RequestInProgress("A request with this Idempotency-Key is still in progress; retry shortly.") from exc
