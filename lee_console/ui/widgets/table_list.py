"""The dashboard's table list: a DataTable whose enter key is named for what it does here."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class TableList(DataTable[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="tables.open",
                tooltip="The table's timeline, a restore's progress, or a deleted table's backups"),
    ]  # fmt: skip
