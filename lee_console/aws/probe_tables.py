"""find-good's probe tables in AWS: deleting one (wait until it is ACTIVE, as DeleteTable refuses
a table being restored, delete it, wait until it is gone), and the probes that killed runs
left behind: found from the journals (core/probe_leftovers.py) and DescribeTable, and deleted.

A probe is a leftover only when all of these hold: the journals say a find-good run started it
and never that it was deleted; that run is not going on (not a search of this process, and
its process is gone from this host); the table exists, is named as find-good names probes of
its source, and DescribeTable's RestoreSummary shows a restore of the journaled source table.
Nothing else is ever deleted. Each deletion is journaled as a ``probe`` event (leftover
true, the killed run's search id) beside the DeleteTable call the session's hooks journal;
the read-only guard's refusal is raised as it is.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from lee_console.aws.dashboard import incident_journals
from lee_console.aws.errors import translate
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_table_raw
from lee_console.core.errors import LeeError, ReadOnlyRefused, TableNotFound
from lee_console.core.probe_leftovers import (
    FIND_GOOD,
    ScratchUse,
    StartedProbe,
    is_that_probe,
    scratch_use,
    undeleted_probes,
)
from lee_console.store.processes import alive_elsewhere

CLEANUP_DEADLINE_SECONDS = 6 * 3600.0
DEFAULT_POLL_SECONDS = 10.0

_running: set[str] = set()  # search ids of the searches this process runs now
_running_lock = threading.Lock()


@contextmanager
def running_search(search_id: str) -> Iterator[None]:
    """While open, this process runs the search ``search_id``: its probes are no leftovers."""
    with _running_lock:
        _running.add(search_id)
    try:
        yield
    finally:
        with _running_lock:
            _running.discard(search_id)


def delete_probe_table(
    aws: Aws,
    name: str,
    *,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    deadline_seconds: float = CLEANUP_DEADLINE_SECONDS,
    abandon: threading.Event | None = None,
) -> bool:
    """Wait for ``name`` to be ACTIVE, delete it, wait until it is gone. False: still there
    when the deadline passed or ``abandon`` was set. A refusal of the read-only guard is
    raised; other errors are retried until the deadline."""
    stop = abandon or threading.Event()
    begin = time.monotonic()
    deleting = False
    while True:
        try:
            status = describe_table_raw(aws, name).get("TableStatus", "ACTIVE")
        except TableNotFound:
            return True
        except LeeError:
            status = "?"
        if status == "ACTIVE" and not deleting:
            try:
                aws.dynamodb.delete_table(TableName=name)
                deleting = True
                continue
            except Exception as error:
                translated = translate(error, f"delete {name}")
                if isinstance(translated, TableNotFound):
                    return True
                if isinstance(translated, ReadOnlyRefused):
                    raise translated from None
        if stop.is_set() or time.monotonic() - begin > deadline_seconds:
            return False
        stop.wait(min(poll_seconds, 1.0) if deleting else poll_seconds)


@dataclass(frozen=True)
class LeftoverScan:
    leftovers: list[StartedProbe]  # deletable: every check above holds
    maybe_running: list[StartedProbe]  # their run may still be going: not touched


def find_leftover_probes(
    aws: Aws, table: str | None = None, use: ScratchUse = FIND_GOOD
) -> LeftoverScan:
    """Probe tables (of ``table``, or of any table) that killed find-good runs left (``use``:
    or the scratch tables of killed dr-test runs, core.probe_leftovers.DR_TEST)."""
    leftovers: list[StartedProbe] = []
    running: list[StartedProbe] = []
    for probe in undeleted_probes(incident_journals(aws), use):
        if table is not None and probe.table != table:
            continue
        try:
            description = describe_table_raw(aws, probe.target)
        except TableNotFound:
            continue  # deleted by hand, or a sandbox since replaced
        if not is_that_probe(description, probe):
            continue
        (running if _may_still_run(probe) else leftovers).append(probe)
    return LeftoverScan(leftovers, running)


def _may_still_run(probe: StartedProbe) -> bool:
    """The probe's run may be going on: a search of this process, a live process on this
    host, or a run on another host (which cannot be asked: its tables are never deleted)."""
    with _running_lock:
        if probe.search_id in _running:
            return True
    if probe.host is not None and probe.host != socket.gethostname():
        return True
    return alive_elsewhere(probe.pid, probe.host)


OnDeleted = Callable[[StartedProbe, bool, str | None], None]


def delete_leftover_probes(
    aws: Aws,
    probes: Sequence[StartedProbe],
    on_deleted: OnDeleted | None = None,
    *,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    deadline_seconds: float = CLEANUP_DEADLINE_SECONDS,
) -> list[StartedProbe]:
    """Delete each of ``probes`` (found by ``find_leftover_probes``) and journal it; returns
    the ones still there. ``on_deleted(probe, deleted, error)`` after each."""
    left = []
    for probe in probes:
        error: str | None = None
        try:
            deleted = delete_probe_table(
                aws, probe.target, poll_seconds=poll_seconds, deadline_seconds=deadline_seconds
            )
            if not deleted:
                error = "still there when the cleanup's deadline passed"
        except ReadOnlyRefused:
            raise
        except LeeError as failure:
            deleted, error = False, failure.message
        if aws.journal is not None:
            aws.journal.append(scratch_use(probe.purpose).done, **probe.outcome(deleted, error))
        if not deleted:
            left.append(probe)
        if on_deleted is not None:
            on_deleted(probe, deleted, error)
    return left
