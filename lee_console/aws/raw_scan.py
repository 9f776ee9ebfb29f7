"""A parallel segment Scan that hands back each page's items in DynamoDB's wire JSON, decoded by
``json.loads`` straight from the response body: botocore's response parser (the largest cost
of a verify) is skipped for these calls only.

How: a ``before-parse.dynamodb.Scan`` handler, registered once on the console's DynamoDB client,
takes the body of a successful response and gives the parser an empty document instead, but
only on a thread that is running one of these scans (a thread-local flag): every other Scan on
the same client is parsed as usual. Everything else about the call is unchanged: the read-only
guard and the journal hooks (before-call, after-call) run, and botocore's retries still see the
status code and any error body, which are left alone.
"""

from __future__ import annotations

import base64
import json
import queue
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from typing import Any

from lee_console.aws.segments import Put, drain_segments
from lee_console.aws.session import Aws

RAW_BODY = "LeeConsoleRawBody"
_HANDLER_ID = "lee-console-raw-scan-body"
_local = threading.local()

Page = list[dict[str, Any]]


def _keep_body(
    response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    if not getattr(_local, "raw", False):
        return
    body = response_dict.get("body")
    if response_dict.get("status_code", 500) < 300 and isinstance(body, bytes):
        customized_response_dict[RAW_BODY] = body
        response_dict["body"] = b"{}"


def raw_scan_client(aws: Aws) -> Any:
    """The console's DynamoDB client with the raw-body handler registered (once)."""
    client = aws.dynamodb
    client.meta.events.register("before-parse.dynamodb.Scan", _keep_body, unique_id=_HANDLER_ID)
    return client


def scan_body(client: Any, **params: Any) -> bytes:
    """One Scan call's response body, undecoded (wire JSON)."""
    _local.raw = True
    try:
        response = client.scan(**params)
    finally:
        _local.raw = False
    body = response.get(RAW_BODY)
    if not isinstance(body, bytes):  # the handler did not run: botocore parsed it
        raise RuntimeError("the Scan response was parsed by botocore, not kept raw")
    return body


def start_key(last: Mapping[str, Any]) -> dict[str, Any]:
    """A LastEvaluatedKey from the wire JSON as botocore takes it back (binaries as bytes)."""
    return {
        name: {"B": base64.b64decode(value["B"])} if "B" in value else dict(value)
        for name, value in last.items()
    }


class _Body:
    """A page's raw body on its way to the consumer, which decodes it and hands the segment
    its LastEvaluatedKey back (so that decoded pages are never queued: they are ten times
    the size of their JSON)."""

    __slots__ = ("body", "reply")

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.reply: queue.Queue[Mapping[str, Any] | None] = queue.Queue(maxsize=1)


def scan_wire_pages(
    aws: Aws,
    table: str,
    segments: int,
    consistent: bool = False,
    only: Sequence[int] | None = None,
) -> Iterator[Page]:
    """Every page of ``table`` (wire items), streamed from ``segments`` parallel segments; at
    most one undecoded body per segment waits. Order is not defined. Closing the iterator
    early stops the scan. Errors (translated) surface in the consumer's thread. ``only``: just
    these segments of the ``segments`` (a worker's share)."""
    client = raw_scan_client(aws)
    mine = list(range(segments)) if only is None else list(only)

    def run(segment: int, put: Put[_Body], stop: threading.Event) -> None:
        params: dict[str, Any] = {
            "TableName": table,
            "Segment": segment,
            "TotalSegments": segments,
            "ConsistentRead": consistent,
        }
        while not stop.is_set():
            entry = _Body(scan_body(client, **params))
            put(entry)
            last = _wait(entry.reply, stop)
            if not last:
                break
            params["ExclusiveStartKey"] = start_key(last)

    with closing(drain_segments(table, mine, run)) as bodies:
        for entry in bodies:
            page = json.loads(entry.body)
            entry.body = b""
            entry.reply.put(page.get("LastEvaluatedKey"))
            yield page.get("Items", [])


def _wait(
    reply: queue.Queue[Mapping[str, Any] | None], stop: threading.Event
) -> Mapping[str, Any] | None:
    while not stop.is_set():
        try:
            return reply.get(timeout=0.1)
        except queue.Empty:
            continue
    return None
