"""Everything the console asks of AWS, as one interface. The CLI hands the app an
`AwsConsoleSource` (aws/console_source.py); the snapshot tests hand it fixed sample data.
Every method may block on the network: call them from thread workers only."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from lee_console.core.pitr import PitrWindow
from lee_console.core.restore import RestoreProgress, RestoreRequest
from lee_console.core.views import BackupSummary, DashboardData, Identity, TimelineData
from lee_console.store.journal_file import Journal


class ConsoleSource(Protocol):
    read_only: bool
    is_sandbox: bool
    where: str  # region and endpoint, for the header
    journal: Journal | None

    def identity(self) -> Identity: ...

    def dashboard(self, tables: tuple[str, ...], now: datetime) -> DashboardData: ...

    def timeline(self, table: str, now: datetime) -> TimelineData: ...

    def backups(self, table: str) -> list[BackupSummary]: ...

    def enable_pitr(self, table: str) -> PitrWindow: ...

    def create_backup(self, table: str, now: datetime) -> BackupSummary: ...

    def start_restore(self, request: RestoreRequest) -> None: ...

    def wait_for_restore(
        self,
        target: str,
        *,
        poll_seconds: float,
        on_progress: Callable[[RestoreProgress], None],
        cancelled: threading.Event,
        started: float,
    ) -> RestoreProgress: ...

    def count_items(self, table: str) -> int: ...
