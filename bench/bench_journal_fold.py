"""Journal folding at scale, against a named baseline measured in the same run.

    python bench/bench_journal_fold.py [--events 100000]

A journal of --events events shaped like a long repair (AWS calls, results, repair batches,
notes, one declaration and one restore) is written with the console's own Journal, then:

- baseline "json.loads per line": the least any reader must do, decode every line;
- read: JournalReader parsing and checking every line into events;
- fold: fold_incident (the report's facts), Runbook.from_events and build_report, each over
  every event; the ratio to the baseline shows the fold is linear (it stays flat as --events
  grows: run it with 20000 and 100000);
- incremental: 100 events appended, then Journal.events() again: only the new bytes are read.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.build import build_report
from lee_console.core.report.fold import fold_incident
from lee_console.core.runbook import Runbook
from lee_console.store.journal_file import Journal, JournalReader


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _lines(count: int) -> list[str]:
    start = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    lines = [
        JournalEvent(Kind.INCIDENT_DECLARED, start, {"table": "lee-devices",
                     "damage_start": "2026-12-02T02:50:00Z", "detected_at": "2026-12-02T03:00:00Z"}
                     ).to_line(),
        JournalEvent(Kind.RESTORE_STARTED, start, {"source": "lee-devices",
                     "target": "lee-devices-r", "restore_point": "2026-12-02T02:49:00Z"}).to_line(),
    ]  # fmt: skip
    for index in range(count - len(lines)):
        at = start + timedelta(milliseconds=10 * index)
        kind = index % 4
        if kind == 0:
            data = {
                "service": "dynamodb",
                "operation": "UpdateItem",
                "cli": "aws dynamodb ...",
                "params": {"TableName": "lee-devices"},
                "identity": "arn:aws:iam::1:user/x",
            }
            event = JournalEvent(Kind.AWS_CALL, at, data)  # fmt: skip
        elif kind == 1:
            event = JournalEvent(Kind.AWS_RESULT, at, {"service": "dynamodb", "status": 200})
        elif kind == 2:
            keys = [{"device_id": f"dev-{index:06d}-{n}"} for n in range(25)]
            data = {
                "live": "lee-devices",
                "restored": "lee-devices-r",
                "batch": index,
                "repaired": 25,
                "skipped": 0,
                "keys": keys,
                "skipped_keys": [],
            }
            event = JournalEvent(Kind.REPAIR_BATCH, at, data)  # fmt: skip
        else:
            event = JournalEvent(Kind.NOTE, at, {"text": f"note {index}"})
        lines.append(event.to_line())
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.jsonl"
        path.write_text("\n".join(_lines(args.events)) + "\n", encoding="utf-8")
        size = path.stat().st_size
        base, _ = _timed(lambda: [json.loads(line) for line in path.open(encoding="utf-8")])
        reader = JournalReader(path)
        read, _ = _timed(reader.refresh)
        events = reader.events
        fold, _ = _timed(lambda: fold_incident(events))
        book, _ = _timed(lambda: Runbook.from_events(events))
        report, _ = _timed(lambda: build_report(events, 60, None, incident="bench"))
        journal = Journal(Path(folder), "bench")
        journal.events()
        for n in range(100):
            journal.append(Kind.NOTE, text=f"late {n}")
        again, fresh = _timed(journal.events)
    print(f"journal: {len(events):,} events, {size / 2**20:.1f} MiB")
    print(f"baseline json.loads per line : {base:7.3f} s")
    for label, seconds in (
        ("read (parse + check)", read),
        ("fold_incident", fold),
        ("Runbook.from_events", book),
        ("build_report", report),
    ):
        print(f"{label:<29}: {seconds:7.3f} s  {seconds / base:5.2f}x baseline")  # fmt: skip
    print(f"incremental: 100 appended, re-read in {again * 1000:.1f} ms "
          f"({len(fresh):,} events), {again / (read or 1e-9):.4f}x a full read")  # fmt: skip


if __name__ == "__main__":
    main()
