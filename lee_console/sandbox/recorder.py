"""Per-thread write-recording context: transactions buffer their records and keep an undo log.

moto's TransactWriteItems deep-copies every table it touches and swaps the copies back when the
transaction fails. The sandbox's tables return themselves from ``deepcopy`` while a transaction
is open (see tables.py), so that swap is a no-op; instead each key's pre-image is saved here on
first touch and put back on failure, and the transaction's history records are committed, all
at one timestamp, only when it succeeds. A cancelled transaction leaves no trace.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from lee_console.sandbox import clock
from lee_console.sandbox.codec import HistoryKey

_local = threading.local()


@dataclass
class Transaction:
    records: list[tuple[Any, HistoryKey, str | None]] = field(default_factory=list)
    # (id(table), key) -> (table, hash_dt, range_dt, pre-image Item or None)
    undo: dict[tuple[int, HistoryKey], tuple[Any, Any, Any, Any]] = field(default_factory=dict)


def current_transaction() -> Transaction | None:
    txn: Transaction | None = getattr(_local, "txn", None)
    return txn


@contextmanager
def transaction() -> Iterator[Transaction]:
    """Open a transaction on this thread; commit its records if the block ends normally,
    otherwise undo its writes and drop its records."""
    txn = Transaction()
    _local.txn = txn
    try:
        yield txn
    except BaseException:
        _local.txn = None
        for table, hash_dt, range_dt, old in txn.undo.values():
            table.restore_raw(hash_dt, range_dt, old)
        raise
    _local.txn = None
    ts = clock.now()
    for table, key, image in txn.records:
        table.history.append(ts, key, image)


@contextmanager
def suppressed() -> Iterator[None]:
    """Writes inside the block are not recorded by the table (the caller records the outcome)."""
    previous = getattr(_local, "suppressed", False)
    _local.suppressed = True
    try:
        yield
    finally:
        _local.suppressed = previous


def is_suppressed() -> bool:
    return bool(getattr(_local, "suppressed", False))


def remember(table: Any, key: HistoryKey, hash_dt: Any, range_dt: Any) -> None:
    """Inside a transaction, save the key's pre-image the first time the key is written."""
    txn = current_transaction()
    if txn is None:
        return
    slot = (id(table), key)
    if slot not in txn.undo:
        old = table.get_item(hash_dt, range_dt)
        txn.undo[slot] = (table, hash_dt, range_dt, copy.deepcopy(old))


def record(table: Any, key: HistoryKey, image: str | None) -> None:
    """Record one write of ``table`` at the current time (or into the open transaction)."""
    if is_suppressed():
        return
    txn = current_transaction()
    if txn is not None:
        txn.records.append((table, key, image))
    else:
        table.history.append(clock.now(), key, image)
