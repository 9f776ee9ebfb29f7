"""One JSONL journal per incident in the XDG state dir, appended and fsync'd per event, so a
dropped SSH session or kill -9 loses nothing."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lee_console.core.errors import InvalidInput
from lee_console.core.journal import JournalEvent

_INCIDENT_ID = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")


def default_incident_id(now: datetime, prefix: str = "adhoc") -> str:
    """adhoc-YYYY-MM-DD against AWS; drill-YYYY-MM-DD against the sandbox, kept apart."""
    return f"{prefix}-{now.astimezone(UTC):%Y-%m-%d}"


class Journal:
    """Append-only writer; safe to share between worker threads."""

    def __init__(self, directory: Path, incident: str) -> None:
        if not _INCIDENT_ID.match(incident):
            raise InvalidInput(
                f"{incident!r} is not a usable incident name: use letters, digits, '.', '_', '-'."
            )
        self.incident = incident
        self.path = directory / f"{incident}.jsonl"
        self._lock = threading.Lock()

    def append(self, kind: str, **data: Any) -> JournalEvent:
        event = JournalEvent(kind=kind, at=datetime.now(UTC), data=data)
        line = event.to_line() + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        return event

    def events(self) -> Iterator[JournalEvent]:
        yield from read_journal(self.path)


def read_journal(path: Path) -> Iterator[JournalEvent]:
    """Every complete event; a line torn by a crash mid-write is skipped."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.endswith("\n"):
                break
            try:
                yield JournalEvent.from_line(line)
            except (ValueError, KeyError):
                continue


def list_incidents(directory: Path) -> list[str]:
    if not directory.exists():
        return []
    return sorted(path.stem for path in directory.glob("*.jsonl"))
