"""Settings applies that never finished: a ``settings-applying`` (journaled before the first
change) with no ``settings-applied`` of its run. The process was killed part way: some of its
settings may hold on the restored table, others not. Applying is idempotent, so the next apply
diffs again and makes what is left; this module says what the interrupted run left, and names
it in the finishing run's ``settings-applied`` (``resumed``), so that the runbook and the report
never count a killed run's settings as re-applied unless a later re-read found them holding.

    runs = interrupted_applies(journal.events(), "lee-devices-r")
    said(runs[0], drifts)           # drifts: core.drift.plan_drift, read just now
    resumed_fields(runs, drifts)    # for the settings-applied of the run that finishes them
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lee_console.core.drift import Drift
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.timeparse import format_utc


@dataclass(frozen=True)
class InterruptedApply:
    run_id: str
    source: str | None
    target: str
    settings: tuple[str, ...]  # what it was about to apply
    started_at: datetime
    seq: int  # position of its settings-applying event in the journal
    pid: int | None = None
    host: str | None = None


def _names(raw: Any) -> tuple[str, ...]:
    return tuple(str(name) for name in raw) if isinstance(raw, list) else ()


def interrupted_applies(
    events: Iterable[JournalEvent], target: str | None = None
) -> list[InterruptedApply]:
    """Applies journaled as started and never as finished (nor finished by a later run that
    names them in ``resumed``), oldest first; of ``target`` when given."""
    open_runs: dict[str, InterruptedApply] = {}
    for seq, event in enumerate(events):
        data = event.data
        if event.kind == Kind.SETTINGS_APPLYING:
            run_id, on = data.get("run_id"), data.get("target")
            if not isinstance(run_id, str) or not isinstance(on, str):
                continue
            pid, host, source = data.get("pid"), data.get("host"), data.get("source")
            open_runs[run_id] = InterruptedApply(
                run_id,
                source if isinstance(source, str) else None,
                on,
                _names(data.get("settings")),
                event.at,
                seq,
                pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
                host if isinstance(host, str) else None,
            )
        elif event.kind == Kind.SETTINGS_APPLIED:
            open_runs.pop(str(data.get("run_id")), None)
            resumed = data.get("resumed")
            for entry in resumed if isinstance(resumed, list) else ():
                if isinstance(entry, dict):
                    open_runs.pop(str(entry.get("run_id")), None)
    return [run for run in open_runs.values() if target is None or run.target == target]


def holding(run: InterruptedApply, drifts: Sequence[Drift]) -> tuple[str, ...]:
    """The run's settings that hold on the restored table now (the diff just read)."""
    in_sync = {drift.setting for drift in drifts if drift.in_sync}
    return tuple(setting for setting in run.settings if setting in in_sync)


def said(run: InterruptedApply, drifts: Sequence[Drift]) -> str:
    """One sentence for the operator: what the interrupted run left."""
    held = holding(run, drifts)
    left = [setting for setting in run.settings if setting not in held]
    text = (
        f"An earlier `settings apply` to {run.target} (started {format_utc(run.started_at)}"
        + (f", pid {run.pid}" if run.pid else "")
        + f") was interrupted before it recorded its outcome: of its {len(run.settings)} "
        f"setting(s), {len(held)} hold now"
    )
    text += f" ({', '.join(held)})" if held else ""
    if left:
        return text + f"; {len(left)} do not ({', '.join(left)}): this run applies them."
    return text + "; nothing of it is left to apply."


def resumed_fields(runs: Sequence[InterruptedApply], drifts: Sequence[Drift]) -> list[Any]:
    """The ``resumed`` entries of the settings-applied that finishes ``runs``: each run's
    settings and those of them the diff found holding before this run changed anything."""
    return [
        {
            "run_id": run.run_id,
            "started_at": format_utc(run.started_at),
            "settings": list(run.settings),
            "held": list(holding(run, drifts)),
        }
        for run in runs
    ]
