"""The dashboard's table: the rows it is given, with the columns that fit its width (fitted
again on every resize), the name column fixed while the rest scroll, and the cursor kept on
its table when rows arrive or change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from rich.console import JustifyMethod
from rich.text import Text
from textual import events

from lee_console.ui.dashboard_rows import RIGHT_ALIGNED, Layout, Row, detail_line, lay_out
from lee_console.ui.widgets.table_list import TableList

SCROLLBAR = 1  # the vertical scrollbar's width (DEFAULT_CSS), kept free for when rows overflow


class DashboardTable(TableList):
    DEFAULT_CSS = """
    DashboardTable {
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, fixed_columns=1)
        self.shown_rows: list[Row] = []
        self.layout_now: Layout | None = None

    def show_rows(self, rows: Sequence[Row]) -> None:
        """Show ``rows`` in this order. The cursor stays on its table; on the first row it
        stays on the first row (so a table arriving above it while the rows load does not
        take the cursor somewhere else)."""
        before = self.current_key()
        at_top = self.cursor_row <= 0
        self.shown_rows = list(rows)
        self._rebuild()
        keys = [row.key for row in self.shown_rows]
        if keys and not at_top and before in keys:
            self.move_cursor(row=keys.index(before), animate=False)

    def current_row(self) -> Row | None:
        if not self.shown_rows or not 0 <= self.cursor_row < len(self.shown_rows):
            return None
        return self.shown_rows[self.cursor_row]

    def current_key(self) -> str | None:
        row = self.current_row()
        return row.key if row is not None else None

    def detail(self) -> str:
        """The highlighted row in full: name, origin and the columns that do not fit."""
        row = self.current_row()
        if row is None or self.layout_now is None:
            return ""
        return detail_line(row, self.layout_now.hidden)

    def available_width(self) -> int:
        width = self.size.width or (self.app.size.width if self.is_attached else 80)
        return max(1, width - SCROLLBAR)

    def _rebuild(self) -> None:
        layout = lay_out(self.shown_rows, self.available_width())
        row, scroll_x = self.cursor_row, self.scroll_x
        self.clear(columns=True)
        for key, label, width in layout.columns:
            justify: JustifyMethod = "right" if key in RIGHT_ALIGNED else "left"
            self.add_column(Text(label, justify=justify), width=width, key=key)
        for key, cells in layout.cells:
            self.add_row(*cast(list[Any], cells), key=key)  # styled Text in a DataTable[str]
        self.layout_now = layout
        if self.shown_rows:
            self.move_cursor(row=min(max(row, 0), len(self.shown_rows) - 1), animate=False)
        self.scroll_x = min(scroll_x, self.max_scroll_x)

    def on_resize(self, event: events.Resize) -> None:
        if self.layout_now is not None and self.layout_now.fit.shown and self.shown_rows:
            fitted = lay_out(self.shown_rows, self.available_width())
            if fitted.columns != self.layout_now.columns:
                self._rebuild()
