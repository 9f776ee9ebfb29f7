"""The page: what the on-call engineer was told (symptoms, not the answer)."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from textual.binding import Binding, BindingType

from lee_console.ui.drill.mode import DrillMode
from lee_console.ui.drill.note_screen import NOTE_WIDTH, NoteScreen


def page_text(mode: DrillMode) -> str:
    record = mode.record
    symptoms = "\n".join(
        textwrap.fill(symptom, NOTE_WIDTH, initial_indent="  * ", subsequent_indent="    ")
        for symptom in mode.symptoms
    )
    return (
        f"PAGE  incident {record.incident}, {record.started_at}\n\n"
        f"{symptoms or '  (no symptom given)'}\n\n"
        f"Recover the service within {record.rto_minutes} min. The sandbox's users keep "
        "writing while you work. Close the incident in the runbook (u) when you are done: "
        "the score card comes then.\n\nenter or escape: to the console   i: this page again"
    )


class BriefScreen(NoteScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="brief.close"),
    ]

    def __init__(self, mode: DrillMode) -> None:
        super().__init__()
        self.mode = mode

    def note(self) -> str:
        return page_text(self.mode)

    def action_close(self) -> None:
        self.dismiss(None)
