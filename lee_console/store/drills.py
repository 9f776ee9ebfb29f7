"""Drills on disk: the drill being played (one at a time, in the state dir, with its ground
truth, which the participant must not read: 0600 like everything there) and the results of
finished drills (JSON and Markdown, in the XDG data dir, kept for a facilitator)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lee_console.store.paths import data_dir
from lee_console.store.private import private_dir, write_private


@dataclass(frozen=True)
class DrillRecord:
    incident: str
    scenario: str  # the scenario played (random resolved)
    requested: str  # what was asked for: a scenario name or "random"
    seed: int
    participant: str
    rto_minutes: int
    started_at: str  # ISO UTC: when the page went out
    endpoint_url: str
    sandbox_pid: int
    truth_path: str  # where the drill sandbox keeps the ground truth up to date


def drill_path(state: Path) -> Path:
    return state / "drill.json"


def drill_truth_file(state: Path) -> Path:
    return private_dir(state / "drill-truth") / "drill-live.json"


def current_drill(state: Path) -> DrillRecord | None:
    try:
        raw = json.loads(drill_path(state).read_text(encoding="utf-8"))
        return DrillRecord(**raw) if isinstance(raw, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def save_drill(state: Path, record: DrillRecord) -> None:
    write_private(drill_path(state), json.dumps(asdict(record), indent=1) + "\n")


def forget_drill(state: Path) -> None:
    drill_path(state).unlink(missing_ok=True)


def read_truth(record: DrillRecord) -> Any:
    """The ground truth's JSON as the sandbox last wrote it (ValueError/OSError when unreadable)."""
    return json.loads(Path(record.truth_path).read_text(encoding="utf-8"))


def results_dir() -> Path:
    return data_dir() / "drills"


def save_result(incident: str, card: dict[str, Any], markdown: str) -> tuple[Path, Path]:
    folder = private_dir(results_dir())
    json_path = write_private(folder / f"{incident}.json", json.dumps(card, indent=1) + "\n")
    md_path = write_private(folder / f"{incident}.md", markdown)
    return json_path, md_path


def result_saved(incident: str) -> bool:
    return (results_dir() / f"{incident}.json").exists()


def saved_results() -> list[dict[str, Any]]:
    """Every saved result; a file that is not one is skipped."""
    folder = results_dir()
    found: list[dict[str, Any]] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "total" in data:
            data["markdown"] = str(path.with_suffix(".md"))
            found.append(data)
    return found
