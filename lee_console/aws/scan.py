"""Reading items as plain Python values: a parallel segment scan that streams, and GetItem.

Plain values are what core's rules and diff take: str, Decimal (N), bytes (B), bool, None,
dict, list, set. :func:`to_wire` turns them back into DynamoDB's wire form for writes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import closing
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeSerializer

from lee_console.aws.errors import translate
from lee_console.aws.segments import Put, drain_segments
from lee_console.aws.session import Aws
from lee_console.core.plain_values import wire_to_plain

DEFAULT_SEGMENTS = 4
_PAGES_BUFFERED_PER_SEGMENT = 2
_serializer = TypeSerializer()


def from_wire(value: Mapping[str, Any]) -> Any:
    """One wire value (``{"N": "5"}``) as a plain one (``Decimal("5")``); binaries come as
    bytes from botocore."""
    return wire_to_plain(value, bytes)


def item_from_wire(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: from_wire(value) for name, value in item.items()}


def to_wire(item: Mapping[str, Any]) -> dict[str, Any]:
    """A plain item (or key) in wire form, for PutItem/GetItem/conditions."""
    return {name: _serializer.serialize(_plain_numbers(value)) for name, value in item.items()}


def _plain_numbers(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _plain_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_numbers(v) for v in value]
    return value


def scan_items(
    aws: Aws, table: str, segments: int = DEFAULT_SEGMENTS, consistent: bool = False
) -> Iterator[dict[str, Any]]:
    """Every item of ``table`` as a plain dict, streamed: ``segments`` parallel Scan segments,
    at most a couple of pages per segment buffered. Order is not defined. Closing the iterator
    early stops the scan. Errors (translated) surface in the consumer's thread."""

    def scan_segment(segment: int, put: Put[list[dict[str, Any]]], stop: threading.Event) -> None:
        paginator = aws.dynamodb.get_paginator("scan")
        for page in paginator.paginate(
            TableName=table,
            Segment=segment,
            TotalSegments=segments,
            ConsistentRead=consistent,
        ):
            if not put([item_from_wire(item) for item in page.get("Items", [])]):
                return

    buffered = max(1, segments * _PAGES_BUFFERED_PER_SEGMENT)
    with closing(drain_segments(table, range(segments), scan_segment, buffered)) as pages:
        for page in pages:
            yield from page


def get_item(aws: Aws, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
    """The item with this key (plain values), read consistently; None when there is none."""
    try:
        response = aws.dynamodb.get_item(TableName=table, Key=to_wire(key), ConsistentRead=True)
    except Exception as error:
        raise translate(error, f"read an item of {table}") from None
    item = response.get("Item")
    return item_from_wire(item) if item else None
