"""Empty tables by the dozen in a sandbox, created the way a test's own boto3 client would."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3


def create_tables(url: str, names: list[str]) -> None:
    client: Any = boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )

    def create(name: str) -> None:
        client.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(create, names))
