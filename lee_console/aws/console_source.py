"""The console's view of AWS: each screen's loader and each action, over one Aws handle."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from lee_console.aws import backups, dashboard, items, pitr_admin, restore, timeline_data
from lee_console.aws.session import Aws
from lee_console.core.pitr import PitrWindow
from lee_console.core.restore import RestoreProgress, RestoreRequest
from lee_console.core.views import BackupSummary, DashboardData, Identity, TimelineData
from lee_console.store.journal_file import Journal


class AwsConsoleSource:
    def __init__(self, aws: Aws) -> None:
        self.aws = aws
        self.read_only = aws.settings.read_only
        self.is_sandbox = aws.settings.sandbox or aws.settings.endpoint_is_loopback
        self.where = aws.where
        self.journal: Journal | None = aws.journal

    def identity(self) -> Identity:
        return dashboard.load_identity(self.aws)

    def dashboard(self, tables: tuple[str, ...], now: datetime) -> DashboardData:
        return dashboard.load_dashboard(self.aws, tables, now)

    def timeline(self, table: str, now: datetime) -> TimelineData:
        return timeline_data.load_timeline(self.aws, table, now)

    def backups(self, table: str) -> list[BackupSummary]:
        return backups.list_backups(self.aws, table)

    def enable_pitr(self, table: str) -> PitrWindow:
        return pitr_admin.enable_pitr(self.aws, table)

    def create_backup(self, table: str, now: datetime) -> BackupSummary:
        return backups.create_backup(self.aws, table, now)

    def start_restore(self, request: RestoreRequest) -> None:
        restore.start_restore(self.aws, request)

    def wait_for_restore(
        self,
        target: str,
        *,
        poll_seconds: float,
        on_progress: Callable[[RestoreProgress], None],
        cancelled: threading.Event,
        started: float,
    ) -> RestoreProgress:
        return restore.wait_for_restore(
            self.aws,
            target,
            poll_seconds=poll_seconds,
            on_progress=on_progress,
            cancelled=cancelled,
            started=started,
        )

    def count_items(self, table: str) -> int:
        return items.count_items(self.aws, table)
