"""What the console needs to know to run in drill mode (no Textual here: cli.py builds it)."""

from __future__ import annotations

from dataclasses import dataclass

from lee_console.store.drills import DrillRecord


@dataclass(frozen=True)
class DrillMode:
    record: DrillRecord
    symptoms: tuple[str, ...]  # the page, as the participant reads it
    facilitator: bool = False  # show the ground truth beside the timeline once it ends
