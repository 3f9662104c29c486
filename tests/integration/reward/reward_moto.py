"""Moto fixtures of the reward tests: the tables from template.yaml and the functions' environment."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import boto3
import pytest

from quorum_local import runtime
from quorum_local.provision import Provisioner
from quorum_local.runtime import LocalContext
from quorum_local.template import Template

REWARD_TABLE = "quorum-local-reward"
IDEMPOTENCY_TABLE = "quorum-local-idempotency"


@cache
def local_template() -> Template:
    """template.yaml for the local environment, parsed once per test session."""
    return Template.load("local", overrides={"TracingMode": "PassThrough"})


@cache
def scan_client() -> Any:
    """One client for the tests' own reads (moto intercepts it in every test's mock)."""
    return boto3.client("dynamodb", region_name="us-east-1")


def reset_wiring() -> None:
    """Forget adapters built for an earlier moto backend."""
    from quorum_reward.handlers import wiring

    for built in (wiring.table, wiring.rules, wiring.ledger, wiring.mall_repo, wiring.redeemer):
        built.cache_clear()


@pytest.fixture
def reward_tables(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Template]:
    """Every table of template.yaml in moto, and every function's variables in the environment."""
    template = local_template()
    Provisioner(template).create_tables()
    for name, value in runtime.function_environment(template).items():
        monkeypatch.setenv(name, value)
    reset_wiring()
    yield template
    reset_wiring()


def stored(table: str) -> list[dict[str, Any]]:
    """Every item of `table`, in a stable order (to compare before and after a request)."""
    client = scan_client()
    items, args = [], {"TableName": table}
    while True:
        page = client.scan(**args)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=repr)
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def everything() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The reward table and the idempotency table, for nothing-stored assertions."""
    return stored(REWARD_TABLE), stored(IDEMPOTENCY_TABLE)


def decide(case_id: str, voters: dict[str, str], decision: str = "violation", module: str = "listing",
           decided_at: str = "2025-03-01T10:00:00Z") -> dict[str, Any]:
    """Deliver a `grant_rewards` event to the worker handler (in process), as the state machine does."""
    from quorum_reward.handlers import worker

    event = {"action": "grant_rewards", "case_id": case_id, "module": module, "decision": decision,
             "decided_at": decided_at, "votes": [{"reviewer_id": r, "verdict": v} for r, v in voters.items()]}
    return worker.handler(event, worker_context())


def worker_context() -> LocalContext:
    name = "quorum-local-reward-worker"
    return LocalContext(function_name=name, function_version="$LATEST", memory_limit_in_mb=512, timeout_seconds=30,
                        invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}")

