"""The local cloud's DynamoDB transactions: rolled back like DynamoDB's, at a cost that does not grow with the table.

moto's TransactWriteItems deep-copied every touched table for its rollback (moto_patches now keeps an
undo log of the touched items), and moto kept every model object it ever made (_untracked_new), so
each copy lived as long as the process: the local cloud's memory and latency grew with requests x
table size. Memory is counted as live DynamoDB item objects and as the peak a transaction allocates.
"""

from __future__ import annotations

import gc
import tracemalloc

import boto3
import pytest
from moto.dynamodb.models.dynamo_type import Item

REGION = "us-east-1"
ROWS = 50
TRANSACTIONS = 20


def live_items() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, Item))


def table_of(rows: int, *, sort_key: bool = False) -> object:
    db = boto3.client("dynamodb", region_name=REGION)
    keys = [("pk", "HASH"), ("sk", "RANGE")] if sort_key else [("pk", "HASH")]
    db.create_table(TableName="t", KeySchema=[{"AttributeName": a, "KeyType": k} for a, k in keys],
                    AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a, _ in keys],
                    BillingMode="PAY_PER_REQUEST")
    for i in range(rows):
        db.put_item(TableName="t", Item={"pk": {"S": f"row-{i}"}, "sk": {"S": "A"}, "n": {"N": "0"}})
    return db


def increment(key: dict[str, object], condition: str | None = None) -> dict[str, object]:
    update = {"TableName": "t", "Key": key, "UpdateExpression": "SET n = n + :one",
              "ExpressionAttributeValues": {":one": {"N": "1"}}}
    return {"Update": {**update, "ConditionExpression": condition} if condition else update}


@pytest.mark.parametrize("sort_key", [False, True])
def test_a_cancelled_transaction_leaves_every_item_as_it_was(aws: None, sort_key: bool) -> None:
    # Given a table of 3 items
    db = table_of(3, sort_key=sort_key)
    key = {"pk": {"S": "row-0"}, **({"sk": {"S": "A"}} if sort_key else {})}
    new = {"pk": {"S": "row-new"}, "sk": {"S": "A"}, "n": {"N": "5"}}

    # When a transaction updates one item, puts a new one, then fails a condition on a third
    with pytest.raises(db.exceptions.TransactionCanceledException) as cancelled:
        db.transact_write_items(TransactItems=[
            increment(key), {"Put": {"TableName": "t", "Item": new}},
            increment({"pk": {"S": "row-2"}, **({"sk": {"S": "A"}} if sort_key else {})}, "attribute_not_exists(pk)")])

    # Then DynamoDB's answer names the failed condition, and no write of the transaction is left
    reasons = [r["Code"] for r in cancelled.value.response["CancellationReasons"]]
    assert reasons == ["None", "None", "ConditionalCheckFailed"]
    assert db.get_item(TableName="t", Key=key)["Item"]["n"] == {"N": "0"}
    assert db.scan(TableName="t", Select="COUNT")["Count"] == 3
    # And the next transaction on the same items goes through
    db.transact_write_items(TransactItems=[increment(key)])
    assert db.get_item(TableName="t", Key=key)["Item"]["n"] == {"N": "1"}


def test_a_transaction_does_not_copy_the_table(aws: None) -> None:
    # Given a table of 3,000 items (a copy of it is several MiB)
    db = table_of(3000)
    db.transact_write_items(TransactItems=[increment({"pk": {"S": "row-1"}})])  # warm moto's code paths

    # When one transaction updates one item
    tracemalloc.start()
    try:
        db.transact_write_items(TransactItems=[increment({"pk": {"S": "row-0"}})])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # Then it allocated what one request needs, not a copy of the table
    assert peak < 1024 * 1024, f"{peak / 1024:.0f} KiB"


def test_transactions_leave_no_copies_of_the_table_behind(aws: None) -> None:
    # Given a table of 50 items
    db = table_of(ROWS)
    before = live_items()

    # When 20 transactions each update one item
    for i in range(TRANSACTIONS):
        db.transact_write_items(TransactItems=[{"Update": {
            "TableName": "t", "Key": {"pk": {"S": f"row-{i}"}}, "UpdateExpression": "SET n = n + :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}}}])

    # Then the table still holds 50 items, and no more of them are alive than before (moto alone: +1,000)
    assert db.scan(TableName="t", Select="COUNT")["Count"] == ROWS
    assert live_items() - before < ROWS
