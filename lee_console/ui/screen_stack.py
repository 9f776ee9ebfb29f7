"""Which screen is which, for "already open": a key that opens a screen already on the stack
goes back to that one (the screens above it close) instead of stacking a second copy, so a
second `u` on a screen the runbook opened returns to the runbook."""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import ModalScreen, Screen

ONE_OF_A_KIND = frozenset({"RunbookScreen", "ReportScreen", "DashboardScreen"})
"""Screens the console shows once, whatever they were opened for (the runbook follows the
incident's journal, not the row it was opened from)."""

SHOWN = ("table", "live", "restored", "target")
"""The attributes that say what a screen shows: the timeline of lee-devices is not the
timeline of lee-users."""


def stack_key(screen: Screen[object]) -> Hashable | None:
    """The screen's identity on the stack, or None for one asked anew each time (a question,
    a plan, help: every modal) and Textual's own default screen."""
    kind = type(screen)
    if isinstance(screen, ModalScreen) or kind is Screen:
        return None
    if kind.__name__ in ONE_OF_A_KIND:
        return (kind,)
    return (kind, *(getattr(screen, name, None) for name in SHOWN))


def already_open(stack: list[Screen[object]], screen: Screen[object]) -> Screen[object] | None:
    """The screen on ``stack`` that ``screen`` would duplicate, if any."""
    key = stack_key(screen)
    if key is None:
        return None
    return next((s for s in reversed(stack) if stack_key(s) == key), None)
