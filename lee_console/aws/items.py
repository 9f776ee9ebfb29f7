"""Counting and reading items with parallel scan segments."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from lee_console.aws.errors import translate
from lee_console.aws.session import Aws

DEFAULT_SEGMENTS = 4


def count_items(aws: Aws, table: str, segments: int = DEFAULT_SEGMENTS) -> int:
    """An exact count (Scan Select=COUNT); DescribeTable's ItemCount is refreshed only about
    every six hours in AWS, so it is wrong right after a restore."""

    def count_segment(segment: int) -> int:
        total = 0
        paginator = aws.dynamodb.get_paginator("scan")
        for page in paginator.paginate(
            TableName=table, Select="COUNT", Segment=segment, TotalSegments=segments
        ):
            total += int(page.get("Count", 0))
        return total

    try:
        with ThreadPoolExecutor(max_workers=segments) as pool:
            return sum(pool.map(count_segment, range(segments)))
    except Exception as error:
        raise translate(error, f"count the items of {table}") from None
