"""What the dashboard's workers tell it, from their threads."""

from __future__ import annotations

from textual.message import Message

from lee_console.core.pitr import TableSummary
from lee_console.core.views import DashboardData, Identity


class DashboardLoaded(Message):
    def __init__(self, data: DashboardData, incident: str) -> None:
        super().__init__()
        self.data = data
        self.incident = incident


class TableDescribed(Message):
    """One table described, while the rest of the load goes on (of ``total`` tables)."""

    def __init__(self, load: int, table: TableSummary, total: int) -> None:
        super().__init__()
        self.load = load
        self.table = table
        self.total = total


class IdentityLoaded(Message):
    def __init__(self, identity: Identity) -> None:
        super().__init__()
        self.identity = identity
