"""What moto already gets right still works against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError


def test_conditional_writes(ddb: Any, make_table: Any) -> None:
    table = make_table()
    ddb.put_item(
        TableName=table,
        Item={"pk": {"S": "a"}, "v": {"N": "1"}},
        ConditionExpression="attribute_not_exists(pk)",
    )
    with pytest.raises(ClientError) as caught:
        ddb.put_item(
            TableName=table,
            Item={"pk": {"S": "a"}, "v": {"N": "2"}},
            ConditionExpression="attribute_not_exists(pk)",
        )
    assert caught.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    with pytest.raises(ClientError):
        ddb.update_item(
            TableName=table,
            Key={"pk": {"S": "a"}},
            UpdateExpression="SET v = :n",
            ConditionExpression="v = :old",
            ExpressionAttributeValues={":n": {"N": "3"}, ":old": {"N": "9"}},
        )
    with pytest.raises(ClientError):
        ddb.delete_item(
            TableName=table,
            Key={"pk": {"S": "a"}},
            ConditionExpression="v = :old",
            ExpressionAttributeValues={":old": {"N": "9"}},
        )
    item = ddb.get_item(TableName=table, Key={"pk": {"S": "a"}})["Item"]
    assert item == {"pk": {"S": "a"}, "v": {"N": "1"}}


def test_update_expressions_and_return_values(ddb: Any, make_table: Any) -> None:
    table = make_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "n": {"N": "1"}, "tags": {"SS": ["x"]}})
    updated = ddb.update_item(
        TableName=table,
        Key={"pk": {"S": "a"}},
        UpdateExpression="ADD n :two, tags :more REMOVE gone SET s = if_not_exists(s, :s)",
        ExpressionAttributeValues={":two": {"N": "2"}, ":more": {"SS": ["y"]}, ":s": {"S": "hi"}},
        ReturnValues="ALL_NEW",
    )["Attributes"]
    assert updated["n"] == {"N": "3"}
    assert sorted(updated["tags"]["SS"]) == ["x", "y"]
    assert updated["s"] == {"S": "hi"}
    old = ddb.put_item(TableName=table, Item={"pk": {"S": "a"}}, ReturnValues="ALL_OLD")[
        "Attributes"
    ]
    assert old["n"] == {"N": "3"}


def test_gsi_query_and_batch_get(ddb: Any, make_table: Any) -> None:
    table = make_table(
        extra_attrs=[{"AttributeName": "owner", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-owner",
                "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    for i in range(6):
        ddb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}, "owner": {"S": f"o{i % 2}"}})
    result = ddb.query(
        TableName=table,
        IndexName="by-owner",
        KeyConditionExpression="#o = :o",
        ExpressionAttributeNames={"#o": "owner"},
        ExpressionAttributeValues={":o": {"S": "o1"}},
    )
    assert sorted(i["pk"]["S"] for i in result["Items"]) == ["k1", "k3", "k5"]
    got = ddb.batch_get_item(
        RequestItems={table: {"Keys": [{"pk": {"S": "k0"}}, {"pk": {"S": "k5"}}]}}
    )["Responses"][table]
    assert sorted(i["pk"]["S"] for i in got) == ["k0", "k5"]
    assert ddb.scan(TableName=table, IndexName="by-owner")["Count"] == 6


def test_binary_and_number_types_round_trip(ddb: Any, make_table: Any) -> None:
    table = make_table()
    item = {
        "pk": {"S": "types"},
        "b": {"B": b"\x00\xff"},
        "bs": {"BS": [b"a", b"\x01"]},
        "n": {"N": "1.50"},
        "ns": {"NS": ["1", "2"]},
        "l": {"L": [{"NULL": True}, {"BOOL": False}]},
        "m": {"M": {"deep": {"M": {"s": {"S": "é"}}}}},
    }
    ddb.put_item(TableName=table, Item=item)
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "types"}})["Item"] == item
    assert ddb.scan(TableName=table)["Items"] == [item]


def test_deletion_protection_blocks_delete(ddb: Any, make_table: Any) -> None:
    table = make_table(DeletionProtectionEnabled=True)
    with pytest.raises(ClientError):
        ddb.delete_table(TableName=table)
    assert ddb.describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE"
