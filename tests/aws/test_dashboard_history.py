"""The journals that feed restore estimates: same kind as the current incident (drill or not),
restores with a source size only."""

from __future__ import annotations

from pathlib import Path

from lee_console.aws.dashboard import history_events, journal_events, past_restores
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.journal import Kind
from lee_console.store.journal_file import Journal


def finished(journal: Journal, seconds: float, size: int | None) -> None:
    data: dict[str, object] = {"target": "t-restored", "duration_seconds": seconds}
    if size is not None:
        data["source_size_bytes"] = size
    journal.append(Kind.RESTORE_FINISHED, **data)


def aws_for(directory: Path, incident: str) -> Aws:
    settings = ConnectionSettings(endpoint_url="http://127.0.0.1:9", region="us-east-1")
    return Aws(settings, Journal(directory, incident))


def test_estimates_use_journals_of_the_current_kind_and_sized_restores(tmp_path: Path) -> None:
    finished(Journal(tmp_path, "drill-2025-01-01"), 3, 1000)
    finished(Journal(tmp_path, "adhoc-2025-01-01"), 1800, 5000)
    finished(Journal(tmp_path, "INC-7"), 2400, 0)  # no size: ignored
    finished(Journal(tmp_path, "INC-8"), 2000, None)  # no size: ignored

    real = aws_for(tmp_path, "INC-9")
    assert [p.duration_seconds for p in past_restores(history_events(real))] == [1800.0]

    drill = aws_for(tmp_path, "drill-2025-01-02")
    assert [p.duration_seconds for p in past_restores(history_events(drill))] == [3.0]
    assert len(journal_events(drill)) == 4  # everything is still read for in-flight restores
