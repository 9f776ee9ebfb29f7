"""The settings drift as rows that fit the terminal: setting, source, restored and action in
four columns sized to the width (at 80 columns each fits, shortened where it must be), and the
highlighted setting said in full beneath the table.

``scaling-target table dynamodb:table:ReadCapacityUnits`` reads ``scaling read``; names that
start with the live or restored table's name drop it (``alarm read-throttles``); the action is
what apply will do, or what must be done by hand, or how the setting stands."""

from __future__ import annotations

from dataclasses import dataclass

from lee_console.core.drift import Drift

HEADERS = ("SETTING", "SOURCE", "RESTORED", "ACTION")
SHARES = (0.27, 0.24, 0.15)  # of the width left for text; ACTION takes the rest
MINIMUM = (14, 10, 8, 16)
CELL_PADDING = 2  # DataTable pads each cell with one space on either side


COPIES = {
    "PutScalingPolicy": "copy the policy",
    "PutMetricAlarm": "copy it for the restored table",
}
"""Actions whose object is the setting's own name: said by what they do instead."""


@dataclass(frozen=True)
class DriftRow:
    setting: str
    source: str
    restored: str
    action: str
    key: str  # the setting's full name: the row's key


def column_widths(width: int) -> tuple[int, int, int, int]:
    """Widths of the four columns for a table ``width`` cells wide (its scrollbar and cell
    padding taken off)."""
    room = max(width - 1 - CELL_PADDING * len(HEADERS), sum(MINIMUM))
    first = [max(int(room * share), low) for share, low in zip(SHARES, MINIMUM, strict=False)]
    last = max(room - sum(first), MINIMUM[-1])
    return first[0], first[1], first[2], last


def short_setting(setting: str, tables: tuple[str, ...]) -> str:
    words = setting.split(" ")
    if words[0] == "scaling-target" and len(words) >= 3:
        kind = "read" if "Read" in words[-1] else "write"
        scope = " ".join(words[1:-1])
        return f"scaling {kind}" + ("" if scope == "table" else f" ({scope})")
    if words[0] in ("scaling-policy", "alarm") and len(words) >= 2:
        name = _without_table(words[-1], tables)
        return f"{'policy' if words[0] == 'scaling-policy' else 'alarm'} {name}"
    return setting


def _without_table(name: str, tables: tuple[str, ...]) -> str:
    for table in sorted(tables, key=len, reverse=True):
        if name.startswith(f"{table}-") and len(name) > len(table) + 1:
            return name[len(table) + 1 :]
    return name


def state_text(drift: Drift, holds: dict[str, bool]) -> str:
    """How the setting stands: in sync, holds after apply, to apply, or by hand."""
    if drift.setting in holds:
        return "holds" if holds[drift.setting] else "! does not hold"
    if drift.in_sync:
        return "in sync"
    return "! apply" if drift.automatic else "! by hand"


def action_text(drift: Drift, holds: dict[str, bool], read_only: bool) -> str:
    """The ACTION cell: the state, then what apply does (its API call named in the detail)."""
    state = state_text(drift, holds)
    if drift.in_sync or drift.setting in holds or not drift.action:
        return state
    call, said, what = drift.action.partition(": ")
    if not said or " " in call:  # no API call named first ("leave on, or disable it by hand")
        call, what = "", drift.action
    what = COPIES.get(call, what)
    if not drift.automatic and "by hand" in what:
        return f"! {what}"
    if drift.automatic and read_only:
        return f"! differs: {what}"
    return f"{state}: {what}"


def rows(
    drifts: list[Drift],
    holds: dict[str, bool],
    tables: tuple[str, ...],
    widths: tuple[int, int, int, int],
    read_only: bool,
) -> list[DriftRow]:
    out = []
    for drift in drifts:
        cells = (
            short_setting(drift.setting, tables),
            drift.source_value,
            drift.restored_value,
            action_text(drift, holds, read_only),
        )
        setting, source, restored, action = (
            _fit(text, width) for text, width in zip(cells, widths, strict=True)
        )
        out.append(DriftRow(setting, source, restored, action, key=drift.setting))
    return out


def detail(drift: Drift, holds: dict[str, bool], read_only: bool) -> str:
    """The highlighted setting in full, under the table."""
    action = f"; {drift.action}" if drift.action else ""
    state = state_text(drift, holds).lstrip("! ")
    if read_only and state == "apply":
        state = "differs"
        action = f"; dry run, not applied here: {drift.action}" if drift.action else ""
    return (
        f"{drift.setting} ({state}): source {drift.source_value}, restored "
        f"{drift.restored_value}{action}"
    )


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
