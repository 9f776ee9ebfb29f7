"""One JSONL journal per incident in the XDG state dir, appended and fsync'd per event, so a
dropped SSH session or kill -9 loses nothing.

Files are 0600 in a 0700 folder. A line torn by a crash mid-write (no newline at the end of
the file) is cut off before the next append and kept aside in ``<incident>.torn-<ms>``, so the
next event is never glued onto it. A line that is not one event (wrong shape, not JSON, not
UTF-8) is skipped by every reader with one warning naming the file and line. A closed incident
is never appended to. Reading is incremental: a ``Journal`` keeps what it has read and picks up
from the byte where it stopped.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lee_console.core.errors import IncidentClosed, InvalidInput
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.timeparse import format_utc
from lee_console.store.private import lock_exclusive, open_private_append, private_dir, tighten

_INCIDENT_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}")
SUFFIX = ".jsonl"

Warn = Callable[[str], None]
_warned: set[str] = set()
_warning_sink: list[Warn] = []


def set_warning_sink(sink: Warn | None) -> None:
    """Where skipped-line warnings go (default stderr); the TUI shows them as notifications."""
    _warning_sink.clear()
    if sink is not None:
        _warning_sink.append(sink)


def warn_once(message: str) -> None:
    if message in _warned:
        return
    _warned.add(message)
    if _warning_sink:
        _warning_sink[0](message)
    else:
        print(f"lee-console: warning: {message}", file=sys.stderr, flush=True)


def validate_incident_id(incident: str) -> str:
    if not _INCIDENT_ID.fullmatch(incident) or incident.endswith("."):  # not match: $ and "x\n"
        raise InvalidInput(
            f"{incident!r} is not a usable incident id: 1 to 80 letters, digits, '.', '_' or "
            "'-', not starting with '.'."
        )
    return incident


class JournalReader:
    """The events of one journal file, read incrementally: ``refresh`` reads only the complete
    lines added since the last call."""

    def __init__(self, path: Path, warn: Warn = warn_once) -> None:
        self.path = path
        self.warn = warn
        self.events: list[JournalEvent] = []
        self.closed_at: datetime | None = None
        self._offset = 0
        self._line = 0

    def refresh(self) -> list[JournalEvent]:
        """The events added since the last refresh. A path that is not a readable file (a
        folder made by hand, no permission) has none, with one warning."""
        try:
            found = self.path.stat()
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            return self._unreadable(error.strerror or str(error))
        if not stat.S_ISREG(found.st_mode):
            return self._unreadable("not a file")
        size = found.st_size
        if size < self._offset:  # replaced by another file: read it from the start
            self.events, self.closed_at, self._offset, self._line = [], None, 0, 0
        if size == self._offset:
            return []
        try:
            with self.path.open("rb") as handle:
                handle.seek(self._offset)
                chunk = handle.read(size - self._offset)
        except OSError as error:
            return self._unreadable(error.strerror or str(error))
        end = chunk.rfind(b"\n")
        if end < 0:
            return []  # only a torn tail so far
        self._offset += end + 1
        added: list[JournalEvent] = []
        for raw in chunk[: end + 1].split(b"\n")[:-1]:
            self._line += 1
            event = self._parse(raw)
            if event is not None:
                added.append(event)
                if event.kind == Kind.CLOSED and self.closed_at is None:
                    self.closed_at = event.at
        self.events.extend(added)
        return added

    def _unreadable(self, why: str) -> list[JournalEvent]:
        self.warn(f"{self.path}: cannot be read ({why}); it is skipped.")
        return []

    def _parse(self, raw: bytes) -> JournalEvent | None:
        if not raw.strip():
            return None
        try:
            return JournalEvent.from_line(raw.decode("utf-8"))
        except UnicodeDecodeError:
            why = "not UTF-8"
        except RecursionError:
            why = "not JSON (nested too deep)"
        except ValueError as error:  # JSONDecodeError is a ValueError
            why = "not JSON" if type(error).__name__ == "JSONDecodeError" else str(error)
        self.warn(f"{self.path} line {self._line}: {why}; the line is skipped.")
        return None


class Journal:
    """Append-only writer and incremental reader; safe to share between worker threads.

    ``on_start`` runs once, after the append that created the file (the CLI says which
    incident was started)."""

    def __init__(
        self,
        directory: Path,
        incident: str,
        on_start: Callable[[Journal], None] | None = None,
    ) -> None:
        self.incident = validate_incident_id(incident)
        self.path = directory / f"{incident}{SUFFIX}"
        self.on_start = on_start
        self.written_kinds: set[str] = set()  # the kinds of event this process wrote
        self._lock = threading.Lock()
        self._reader = JournalReader(self.path)
        if directory.exists():
            private_dir(directory)
            tighten(self.path)

    @property
    def started(self) -> bool:
        return self.path.exists()

    @property
    def closed_at(self) -> datetime | None:
        with self._lock:
            self._reader.refresh()
            return self._reader.closed_at

    def append(self, kind: str, **data: Any) -> JournalEvent:
        """Append one event. Another process appending to the same journal (the console and
        a command in a second terminal) waits on the file's lock: the closed check, the cut of a
        torn tail and the write are one step, so neither cuts off the other's event."""
        JournalEvent(kind=kind, at=datetime.now(UTC), data=data).to_line()  # fails before I/O
        with self._lock:
            created = not self.path.exists()
            descriptor = open_private_append(self.path)
            try:
                lock_exclusive(descriptor)
                self._reader.refresh()
                if self._reader.closed_at is not None:
                    raise IncidentClosed(
                        f"Incident {self.incident} was closed at "
                        f"{format_utc(self._reader.closed_at)} and is not appended to: "
                        "`lee-console incident declare --table TABLE` starts a new one."
                    )
                event = JournalEvent(kind=kind, at=datetime.now(UTC), data=data)
                self._cut_torn_tail(descriptor)
                os.write(descriptor, (event.to_line() + "\n").encode("utf-8"))
                os.fsync(descriptor)
                self.written_kinds.add(kind)
            finally:
                os.close(descriptor)  # releases the lock
        if created and self.on_start is not None:
            self.on_start(self)
        return event

    def _cut_torn_tail(self, descriptor: int) -> None:
        """A last line with no newline was torn by a crash: move it aside, then cut it off."""
        size = os.fstat(descriptor).st_size
        if size == 0 or os.pread(descriptor, 1, size - 1) == b"\n":
            return
        cut = _last_newline_before(descriptor, size) + 1
        torn = os.pread(descriptor, size - cut, cut)
        aside = self.path.with_name(f"{self.incident}.torn-{int(time.time() * 1000)}")
        aside_descriptor = open_private_append(aside)
        try:
            os.write(aside_descriptor, torn)
        finally:
            os.close(aside_descriptor)
        os.ftruncate(descriptor, cut)
        warn_once(
            f"{self.path}: a torn last line ({len(torn)} bytes, a crash mid-write) was cut off "
            f"and kept in {aside}."
        )

    def events(self) -> list[JournalEvent]:
        """Every event so far (only the new bytes are read)."""
        with self._lock:
            self._reader.refresh()
            return list(self._reader.events)


def _last_newline_before(descriptor: int, end: int) -> int:
    """The offset of the last newline before ``end`` (-1: none), read back 64 KiB at a time."""
    while end > 0:
        start = max(0, end - 65536)
        found = os.pread(descriptor, end - start, start).rfind(b"\n")
        if found >= 0:
            return start + found
        end = start
    return -1


def read_journal(path: Path, warn: Warn = warn_once) -> Iterator[JournalEvent]:
    """Every complete event of the file at ``path``; skipped lines are warned about."""
    reader = JournalReader(path, warn)
    reader.refresh()
    yield from reader.events


_readers: dict[Path, JournalReader] = {}
_readers_lock = threading.Lock()


def kept_events(path: Path) -> list[JournalEvent]:
    """Every event of the file at ``path``, through a reader kept for the process: a reader
    polling every journal (the dashboard's restore history) reads only what was added."""
    with _readers_lock:
        reader = _readers.setdefault(path, JournalReader(path))
        reader.refresh()
        return list(reader.events)


def list_incidents(directory: Path) -> list[str]:
    """The incidents with a journal file (anything else by that name is warned about once)."""
    if not directory.exists():
        return []
    names = []
    for path in directory.glob(f"*{SUFFIX}"):
        if path.is_file():
            names.append(path.name[: -len(SUFFIX)])
        else:
            warn_once(f"{path}: not a file, so not a journal; it is skipped.")
    return sorted(names)
