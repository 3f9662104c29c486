"""The local cloud's DynamoDB does not hold on to what a transaction copied (moto_patches._untracked_new).

moto's TransactWriteItems deep-copies every table for its rollback; moto also kept every model object
it ever made, so each transaction's copy of each item lived as long as the process: the local cloud's
memory grew with requests x table size. Counted here as live DynamoDB item objects.
"""

from __future__ import annotations

import gc

import boto3
from moto.dynamodb.models.dynamo_type import Item

REGION = "us-east-1"
ROWS = 50
TRANSACTIONS = 20


def live_items() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, Item))


def test_transactions_leave_no_copies_of_the_table_behind(aws: None) -> None:
    # Given a table of 50 items
    db = boto3.client("dynamodb", region_name=REGION)
    db.create_table(TableName="t", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    for i in range(ROWS):
        db.put_item(TableName="t", Item={"pk": {"S": f"row-{i}"}, "n": {"N": "0"}})
    before = live_items()

    # When 20 transactions each update one item
    for i in range(TRANSACTIONS):
        db.transact_write_items(TransactItems=[{"Update": {
            "TableName": "t", "Key": {"pk": {"S": f"row-{i}"}}, "UpdateExpression": "SET n = n + :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}}}}])

    # Then the table still holds 50 items, and no more of them are alive than before (moto alone: +1,000)
    assert db.scan(TableName="t", Select="COUNT")["Count"] == ROWS
    assert live_items() - before < ROWS
