"""The Timeline widget's key bindings: each with an id ``timeline.<name>`` and a tooltip."""

from __future__ import annotations

from textual.binding import Binding

STEP_GROUP = Binding.Group("Step", compact=True)
ZOOM_GROUP = Binding.Group("Zoom", compact=True)
MARK_GROUP = Binding.Group("Marker", compact=True)


def bind(
    key: str, action: str, description: str, name: str, tooltip: str,
    group: Binding.Group | None = None, key_display: str | None = None, *, show: bool | None = None,
) -> Binding:  # fmt: skip
    """A binding with id ``timeline.<name>``; shown in the footer when it is in a group."""
    return Binding(
        key, action, description, show=group is not None if show is None else show,
        key_display=key_display, tooltip=tooltip, id=f"timeline.{name}", group=group,
    )  # fmt: skip
