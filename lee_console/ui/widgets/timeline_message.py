"""The base of the Timeline widget's messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from lee_console.ui.widgets.timeline import Timeline


class TimelineMessage(Message):
    """Base of the Timeline's messages: ``timeline`` (alias ``control``) is the sender."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        super().__init__()

    @property
    def control(self) -> Timeline:
        return self.timeline
