"""What the console needs to know to run in drill mode (no Textual here: cli.py builds it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lee_console.store.drills import DrillRecord


@dataclass(frozen=True)
class DrillMode:
    record: DrillRecord
    symptoms: tuple[str, ...]  # the page, as the participant reads it
    facilitator: bool = False  # show the ground truth beside the timeline once it ends
    # Before scoring: stop the sandbox's live user writes (a write after the score has read the
    # truth would count as lost).
    before_scoring: Callable[[], None] = lambda: None
