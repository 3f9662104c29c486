"""The local cloud's saved state on moto: every item of every table comes back, binary and nested ones included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from quorum_local.state import FILE_NAME, Autosave, SavedState

ITEMS = [
    {"pk": {"S": "case#1"}, "sk": {"S": "meta"}, "tally": {"M": {"violation": {"N": "2"}}}, "tags": {"SS": ["a", "b"]}},
    {"pk": {"S": "case#1"}, "sk": {"S": "vote#u1"}, "blob": {"B": b"\x00\xffbytes"}, "blobs": {"BS": [b"x", b"y"]},
     "map": {"M": {"__bytes__": {"S": "not bytes"}}}, "none": {"NULL": True}, "list": {"L": [{"BOOL": False}]}},
    *({"pk": {"S": f"user#{i}"}, "sk": {"S": "profile"}, "n": {"N": str(i)}} for i in range(60)),  # over one batch
]


def _table(dynamodb: Any, name: str) -> None:
    dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in ("pk", "sk")],
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])


def _all(dynamodb: Any, name: str) -> list[dict[str, Any]]:
    items = [i for page in dynamodb.get_paginator("scan").paginate(TableName=name) for i in page["Items"]]
    return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


@pytest.fixture
def dynamodb(aws: None) -> Any:
    return boto3.client("dynamodb", region_name="us-east-1")


def test_saved_items_come_back_exactly(dynamodb: Any, tmp_path: Path) -> None:
    _table(dynamodb, "cases")
    for item in ITEMS:
        dynamodb.put_item(TableName="cases", Item=item)
    before = _all(dynamodb, "cases")
    assert SavedState(tmp_path).save(dynamodb) == len(ITEMS)
    dynamodb.delete_table(TableName="cases")
    _table(dynamodb, "cases")  # a new start provisions the table empty

    assert SavedState(tmp_path).load(dynamodb) == {"cases": len(ITEMS)}
    assert _all(dynamodb, "cases") == before


def test_a_table_the_template_no_longer_has_is_skipped_and_nothing_saved_loads_nothing(dynamodb: Any,
                                                                                     tmp_path: Path) -> None:
    assert SavedState(tmp_path).load(dynamodb) == {}
    _table(dynamodb, "gone")
    dynamodb.put_item(TableName="gone", Item=ITEMS[0])
    SavedState(tmp_path).save(dynamodb)
    dynamodb.delete_table(TableName="gone")
    assert SavedState(tmp_path).load(dynamodb) == {}


def test_a_state_of_another_format_is_refused_not_half_loaded(dynamodb: Any, tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text(json.dumps({"format": 99, "tables": {}}))
    with pytest.raises(ValueError, match="format 99"):
        SavedState(tmp_path).load(dynamodb)


def test_stopping_the_autosave_saves_once_more(dynamodb: Any, tmp_path: Path) -> None:
    _table(dynamodb, "cases")
    autosave = Autosave(SavedState(tmp_path), dynamodb, every=3600)
    autosave.start()
    dynamodb.put_item(TableName="cases", Item=ITEMS[0])
    assert autosave.stop() == 1
    assert json.loads((tmp_path / FILE_NAME).read_text())["tables"]["cases"][0]["pk"] == {"S": "case#1"}
