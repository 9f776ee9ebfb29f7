"""A drill's ground truth, kept per drill incident: the drill sandbox writes its scenario's truth
when it seeds, and each incident run against that sandbox keeps a copy under its own id, so the
report of a closed drill can measure what the recovery lost, even after the sandbox is gone."""

from __future__ import annotations

from pathlib import Path

from lee_console.store.private import private_dir, write_private


def truth_dir(state: Path) -> Path:
    return state / "drill-truth"


def sandbox_truth_path(state: Path) -> Path:
    """Where the drill sandbox writes its scenario's truth."""
    return private_dir(truth_dir(state)) / "sandbox.json"


def drill_truth_path(state: Path, incident: str) -> Path | None:
    path = truth_dir(state) / f"{incident}.json"
    return path if path.exists() else None


def keep_drill_truth(state: Path, incident: str) -> None:
    """Copy the running sandbox's truth for ``incident`` (once)."""
    source = truth_dir(state) / "sandbox.json"
    target = truth_dir(state) / f"{incident}.json"
    if source.exists() and not target.exists():
        write_private(target, source.read_text(encoding="utf-8"))


def keep_final_truth(state: Path, incident: str, source: Path) -> None:
    """Keep ``source`` (a drill's truth as its sandbox last wrote it) for ``incident``, replacing
    the copy made when the drill began: live writes made since belong in it."""
    if source.exists():
        write_private(truth_dir(state) / f"{incident}.json", source.read_text(encoding="utf-8"))
