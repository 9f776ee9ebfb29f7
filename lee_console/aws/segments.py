"""Parallel Scan segments on threads, what they find handed to the consumer through one queue:
the plumbing aws/scan.py (plain items) and aws/raw_scan.py (wire pages) share.

Each segment's thread puts its entries, then None when it is done, or the exception that ended
it; the consumer yields the entries until every segment is done and raises an exception
(translated) in its own thread. Closing the iterator early stops the segments."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from lee_console.aws.errors import translate

T = TypeVar("T")

Put = Callable[[T], bool]
"""Queue an entry; False once the consumer has stopped (the segment should return)."""


def drain_segments(
    table: str,
    segments: Sequence[int],
    scan_segment: Callable[[int, Put[T], threading.Event], None],
    buffered: int = 0,
) -> Generator[T, None, None]:
    """Run ``scan_segment(segment, put, stop)`` for each of ``segments`` on its own thread and
    yield what they put, in no defined order. ``buffered``: how many entries may wait (0: no
    limit); a segment's put waits for room, or returns False once ``stop`` is set."""
    entries: queue.Queue[T | BaseException | None] = queue.Queue(maxsize=buffered)
    stop = threading.Event()

    def put(entry: T | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                entries.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run(segment: int) -> None:
        try:
            scan_segment(segment, put, stop)
        except BaseException as error:  # handed to the consumer, which raises it
            put(error)
            return
        put(None)

    pool = ThreadPoolExecutor(max_workers=max(1, len(segments)), thread_name_prefix=f"scan-{table}")
    try:
        for segment in segments:
            pool.submit(run, segment)
        finished = 0
        while finished < len(segments):
            entry = entries.get()
            if entry is None:
                finished += 1
            elif isinstance(entry, BaseException):
                raise translate(
                    entry if isinstance(entry, Exception) else RuntimeError(str(entry)),
                    f"scan {table}",
                ) from None
            else:
                yield entry
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
