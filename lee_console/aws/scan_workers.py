"""verify's scan of a large table in worker processes, so that decoding, judging and hashing
pages run on several cores instead of taking turns under one interpreter's lock.

Each worker (``python -m lee_console.aws.scan_worker_loop``: a fresh interpreter, whatever
program the console runs in) scans its share of the segments with its own DynamoDB client,
built like the console's (same region, endpoint, retries, the read-only guard when
--read-only) from the session's current credentials, handed over its stdin and never written
anywhere; Scan pages come raw (aws/raw_scan.py). For each page it sends back, as pickles on its
stdout, only compact records (key text, 16-byte digest, verdict byte), the violations of the
items that have some, and the lines botocore's retries told. The parent tallies and joins them
as it would its own (core/scan_diff/items.py does the same per item).
"""

from __future__ import annotations

import pickle
import queue
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from lee_console.aws.connection import ConnectionSettings
from lee_console.aws.session import Aws
from lee_console.core.errors import LeeError
from lee_console.core.rules import RuleSet, Violation
from lee_console.core.scan_diff.items import Feed
from lee_console.core.verify import TableCheck, ViolationTally
from lee_console.core.wire_hash import key_from_text

MAX_WORKERS = 8
_RECORD = struct.Struct("<I")  # key length; then key, 16-byte digest, verdict byte


def check_table_in_workers(
    aws: Aws,
    table: str,
    tally: ViolationTally,
    now: datetime,
    workers: int,
    segments: int,
    feed: Feed | None,
) -> TableCheck:
    """``check_table`` with the segments spread over ``workers`` processes."""
    credentials = aws.session.get_credentials()
    frozen = None
    if credentials is not None:
        now_credentials = credentials.get_frozen_credentials()
        access, secret = str(now_credentials.access_key), str(now_credentials.secret_key)
        frozen = (access, secret, now_credentials.token)
    messages: queue.Queue[Any] = queue.Queue(maxsize=4 * workers)
    processes: list[subprocess.Popen[bytes]] = []
    readers = []
    try:
        for number in range(workers):
            job = Job(
                settings=aws.settings,
                region=aws.region,
                endpoint=aws.endpoint_for("dynamodb"),
                credentials=frozen,
                table=table,
                segments=tuple(range(number, segments, workers)),
                total=segments,
                rules=tally.rule_set,
                key_names=tally.key_names,
                now=now,
            )
            process = subprocess.Popen(
                [sys.executable, "-m", "lee_console.aws.scan_worker_loop"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            assert process.stdin is not None and process.stdout is not None
            pickle.dump(job, process.stdin)
            process.stdin.close()
            reader = threading.Thread(
                target=_read, args=(process.stdout, messages), daemon=True, name=f"scan-{table}"
            )
            reader.start()
            readers.append(reader)
        finished = 0
        while finished < workers:
            message = messages.get()
            if message is None:
                finished += 1
            else:
                _take(message, tally, feed, aws)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        _drain(messages, readers)
        for process in processes:
            process.wait()
    return tally.finish()


def _read(stream: IO[bytes], messages: queue.Queue[Any]) -> None:
    try:
        while True:
            message = pickle.load(stream)
            messages.put(message)
            if message is None:
                return
    except (EOFError, pickle.UnpicklingError, OSError):
        messages.put(("error", "a scan worker process ended without finishing its segments"))
        messages.put(None)


def _drain(messages: queue.Queue[Any], readers: list[threading.Thread]) -> None:
    """Let the reader threads end (they may be blocked on a full queue)."""
    while any(reader.is_alive() for reader in readers):
        try:
            messages.get(timeout=0.05)
        except queue.Empty:
            continue


def _take(message: Any, tally: ViolationTally, feed: Feed | None, aws: Aws) -> None:
    kind = message[0]
    if kind == "error":
        error = message[1]
        raise error if isinstance(error, LeeError) else RuntimeError(error)
    _, records, violations, lines = message
    for line in lines:
        aws.retries.tell(line)
    key_names = tally.key_names
    for key, found in violations:
        tally.add(key_from_text(key, key_names), [Violation(r, m) for r, m in found])
    view, at, end = memoryview(records), 0, len(records)
    unpack = _RECORD.unpack_from
    while at < end:
        (length,) = unpack(view, at)
        at += 4
        key = bytes(view[at : at + length]).decode("utf-8")
        at += length
        digest = bytes(view[at : at + 16])
        passes = view[at + 16] == 1
        at += 17
        if passes:
            tally.items += 1
        if feed is not None:
            feed(key, digest, passes)


@dataclass(frozen=True)
class Job:
    """A worker's share of the scan (pickled to its stdin)."""

    settings: ConnectionSettings
    region: str
    endpoint: str | None
    credentials: tuple[str, str, str | None] | None
    table: str
    segments: tuple[int, ...]
    total: int
    rules: RuleSet
    key_names: tuple[str, ...]
    now: datetime
