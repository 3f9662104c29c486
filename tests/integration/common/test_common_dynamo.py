"""The common DynamoDB helper on moto: one number rule, one error mapping, paging and batches."""

from __future__ import annotations

from typing import Any
from unittest import mock

import boto3
import pytest
from botocore.exceptions import ClientError

from quorum_common.dynamo import ConditionFailed, Table, TransactionCancelled, decode_cursor, encode_cursor
from quorum_common.errors import InvalidInput, TransientError


@pytest.fixture
def table(aws: None) -> Table:
    boto3.client("dynamodb").create_table(
        TableName="t", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    return Table("t", boto3.client("dynamodb"))


def key(n: int | str) -> dict[str, str]:
    return {"pk": "P", "sk": f"S#{n}"}


def test_values_round_trip_with_one_number_rule(table: Table) -> None:
    item = {**key(1), "whole": 3, "ratio": 0.1, "flag": True, "tags": ["a", "b"], "ids": {"x", "y"},
            "nested": {"n": 2, "f": 2.5}, "absent": None}
    table.put(item)
    stored = table.get(key(1))
    assert stored == {k: v for k, v in item.items() if v is not None}
    assert type(stored["whole"]) is int and type(stored["ratio"]) is float


def test_a_failed_condition_carries_the_old_item_and_writes_nothing(table: Table) -> None:
    table.put({**key(1), "n": 1})
    with pytest.raises(ConditionFailed) as failed:
        table.update(key(1), "SET n = :two", values={":two": 2, ":zero": 0}, condition="n = :zero")
    assert failed.value.old == {**key(1), "n": 1}
    assert table.get(key(1)) == {**key(1), "n": 1}


def test_a_cancelled_transaction_says_which_operation_failed(table: Table) -> None:
    table.put({**key(1), "n": 1})
    ops = [table.put_op({**key(2), "n": 2}, "attribute_not_exists(pk)"),
           table.update_op(key(1), "SET n = :n", {":n": 9, ":one": 5}, condition="n = :one")]
    with pytest.raises(TransactionCancelled) as cancelled:
        table.transact(ops)
    assert not cancelled.value.failed(0) and cancelled.value.failed(1)
    assert table.get(key(2)) is None


def test_a_transaction_that_only_lost_a_race_is_retried(table: Table) -> None:
    conflict = ClientError({"Error": {"Code": "TransactionCanceledException"},
                            "CancellationReasons": [{"Code": "TransactionConflict"}]}, "TransactWriteItems")
    real = table.client.transact_write_items
    calls: list[int] = []

    def flaky(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) < 3:
            raise conflict
        return real(**kwargs)

    with mock.patch.object(table.client, "transact_write_items", side_effect=flaky):
        table.transact([table.put_op({**key(1), "n": 1})])
    assert len(calls) == 3 and table.get(key(1)) == {**key(1), "n": 1}


def test_throttling_that_outlasts_retries_is_transient(table: Table) -> None:
    throttled = ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "GetItem")
    with mock.patch.object(table.client, "get_item", side_effect=throttled), pytest.raises(TransientError):
        table.get(key(1))


def test_queries_page_through_everything_and_pages_continue_from_their_key(table: Table) -> None:
    table.batch_write(puts=[{**key(f"{n:03d}"), "n": n} for n in range(60)])
    every = table.query("pk = :p", {":p": "P"}, Limit=7)  # small pages: the paginator follows them all
    assert [i["n"] for i in every] == list(range(60))
    assert [i["n"] for i in table.query("pk = :p", {":p": "P"}, limit=5, newest_first=True)] == [59, 58, 57, 56, 55]
    first, start = table.query_page("pk = :p", {":p": "P"}, limit=25)
    rest, end = table.query_page("pk = :p", {":p": "P"}, limit=100, start=start)
    assert [i["n"] for i in first + rest] == list(range(60)) and end is None


def test_batches_retry_what_dynamodb_left_unprocessed(table: Table) -> None:
    real = table.client.batch_write_item
    seen: list[int] = []

    def half(RequestItems: dict[str, Any]) -> Any:
        requests = RequestItems["t"]
        seen.append(len(requests))
        done, left = requests[: len(requests) // 2 or 1], requests[len(requests) // 2 or 1:]
        real(RequestItems={"t": done})
        return {"UnprocessedItems": {"t": left} if left else {}}

    with mock.patch.object(table.client, "batch_write_item", side_effect=half):
        assert table.batch_write(puts=[{**key(n), "n": n} for n in range(30)]) == 30
    assert seen[:2] == [25, 13]
    found = table.batch_get([key(n) for n in range(35)])
    assert sorted(i["n"] for i in found) == list(range(30))


def test_cursors_round_trip_and_a_forged_one_is_the_callers_mistake() -> None:
    assert decode_cursor(encode_cursor({"pk": "P", "n": 1})) == {"pk": "P", "n": 1}
    with pytest.raises(InvalidInput) as refused:
        decode_cursor("not-a-cursor!")
    assert refused.value.code == "invalid_cursor"
