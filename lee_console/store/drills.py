"""Drills on disk: the drill being played (one at a time, in the state dir, with its ground
truth, which the participant must not read: 0600 like everything there) and the results of
finished drills (JSON and Markdown, in the XDG data dir, kept for a facilitator)."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lee_console.core.drill.results import is_result
from lee_console.core.errors import InvalidInput
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


def drill_truth_file(state: Path, incident: str) -> Path:
    """Where the drill's sandbox keeps its ground truth up to date: a file of the drill's own, so
    that no other sandbox (one a killed `drill start` left seeding) can write into it."""
    return private_dir(state / "drill-truth") / f"live-{incident}.json"


def check_writable(state: Path, results: bool) -> None:
    """Refuse in one line, before a drill changes anything, when this user cannot write the
    state dir (the drill's record, journal and sandbox) or, with ``results``, the folder the
    score card is saved in: a drill is never closed without its card being kept."""
    folders = [(state, "XDG_STATE_HOME or LEE_CONSOLE_STATE_DIR")]
    if results:
        folders.append((results_dir(), "XDG_DATA_HOME or LEE_CONSOLE_DATA_DIR"))
    for folder, variables in folders:
        try:
            writable = os.access(private_dir(folder), os.W_OK | os.X_OK)
        except InvalidInput:  # it cannot be made
            writable = False
        if not writable:
            raise InvalidInput(
                f"Cannot write {folder}: point {variables} at a folder you can write; the "
                "drill was left as it is."
            )


@contextmanager
def starting_drill(state: Path) -> Iterator[None]:
    """Held while a drill starts (a lock on a file in the state dir, released by the kernel when
    the process dies): a second `drill start` meanwhile is refused rather than starting a second
    sandbox beside the first."""
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(state / "drill-start.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InvalidInput(
                "Another `lee-console drill start` is starting a drill right now; "
                "`lee-console drill open` returns to it once it has started."
            ) from None
        yield
    finally:
        os.close(descriptor)


def current_drill(state: Path) -> DrillRecord | None:
    try:
        raw = json.loads(drill_path(state).read_text(encoding="utf-8"))
        return DrillRecord(**raw) if isinstance(raw, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def save_drill(state: Path, record: DrillRecord) -> None:
    write_private(drill_path(state), json.dumps(asdict(record), indent=1) + "\n")


def forget_drill(state: Path, record: DrillRecord) -> None:
    """The drill is over: its record and its live ground truth go (finish kept a copy)."""
    drill_path(state).unlink(missing_ok=True)
    Path(record.truth_path).unlink(missing_ok=True)


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


def saved_markdown(incident: str) -> Path:
    return results_dir() / f"{incident}.md"


def saved_results() -> tuple[list[dict[str, Any]], list[Path]]:
    """Every saved result, and the files in the results folder that are not one (unreadable,
    not JSON, NaN or Infinity in it, or not the shape of a card: core.drill.results)."""
    folder = results_dir()
    found: list[dict[str, Any]] = []
    skipped: list[Path] = []
    if not folder.is_dir():
        return found, skipped
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
        except (OSError, ValueError):
            skipped.append(path)
            continue
        if not is_result(data):
            skipped.append(path)
            continue
        data["markdown"] = str(path.with_suffix(".md"))
        found.append(data)
    return found, skipped


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a card holds")
