"""Fixed sample data for the UI tests and the screenshots: the decision record's incident.

``SampleSource`` is a deterministic ``ConsoleSource``: it is 2025-02-14 11:52:00 UTC, lee-engine:43
was deployed at 11:23:00 and write activity on lee-devices jumps from then on. Four tables show
every health state: lee-devices and lee-users are fine, lee-sessions has deletion protection
off, and lee-audit has PITR off (``EARLIER_RESTORE``, a restore of lee-devices, can be added
with ``extra_tables``). ``make_app`` builds the console on it with a fixed clock and a
fixed local zone, so the pictures are the same on every machine, whatever its TZ.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, cast

from lee_console.aws.probe_tables import LeftoverScan, OnDeleted
from lee_console.core.config import Config
from lee_console.core.pitr import PitrWindow, RestoreInfo, TableSummary
from lee_console.core.probe_leftovers import StartedProbe
from lee_console.core.restore import RestoreProgress, RestoreRequest
from lee_console.core.timeline import Marker, MarkerKind, Sample
from lee_console.core.views import (
    BackupSummary,
    DashboardData,
    Identity,
    OnTable,
    TimelineData,
)
from lee_console.store.journal_file import Journal
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.drill.mode import DrillMode
from lee_console.ui.source import ConsoleSource

NOW = datetime(2025, 2, 14, 11, 52, 0, tzinfo=UTC)
LATEST = datetime(2025, 2, 14, 11, 47, 0, tzinfo=UTC)  # AWS's ~5 min restore lag
EARLIEST = LATEST - timedelta(days=35)
BAD_DEPLOY = datetime(2025, 2, 14, 11, 23, 0, tzinfo=UTC)  # lee-engine:43
ONE_MINUTE_BEFORE = BAD_DEPLOY - timedelta(minutes=1)
LOCAL_TZ: tzinfo = timezone(timedelta(hours=1), "CET")
ACCOUNT = "123456789012"
CALLER = f"arn:aws:sts::{ACCOUNT}:assumed-role/lee-oncall/alice"
MB = 1024 * 1024

SMALL = (80, 24)
LARGE = (120, 40)


def _arn(table: str) -> str:
    return f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{table}"


def _table(
    name: str,
    items: int,
    size_bytes: int,
    *,
    pitr: bool = True,
    deletion_protection: bool = True,
) -> TableSummary:
    window = (
        PitrWindow(True, EARLIEST, LATEST, recovery_period_days=35) if pitr else PitrWindow(False)
    )
    return TableSummary(
        name=name,
        status="ACTIVE",
        item_count=items,
        size_bytes=size_bytes,
        deletion_protection=deletion_protection,
        billing_mode="PAY_PER_REQUEST",
        pitr=window,
        arn=_arn(name),
        created=datetime(2024, 6, 3, 9, 0, 0, tzinfo=UTC),
    )


TABLES: tuple[TableSummary, ...] = (
    _table("lee-devices", 3_000, 500 * MB),
    _table("lee-users", 12_400, 48 * MB),
    _table("lee-sessions", 88_000, 210 * MB, deletion_protection=False),
    _table("lee-audit", 640_000, 1_900 * MB, pitr=False),
)


def restored(source: str, point: datetime, *, done: bool = True, items: int = 0) -> TableSummary:
    """A restore of ``source`` as DescribeTable shows it: PITR, TTL, deletion protection and
    the rest are not carried over."""
    return replace(
        _table(f"{source}-restored-{point:%Y%m%dT%H%M%SZ}", items, 0, deletion_protection=False),
        status="ACTIVE" if done else "CREATING",
        pitr=PitrWindow(False),
        restore=RestoreInfo(
            not done,
            point,
            source_table_arn=_arn(source),
        ),
    )


EARLIER_RESTORE = restored("lee-devices", datetime(2025, 2, 14, 11, 5, 0, tzinfo=UTC), items=2_980)
"""A restore someone made of lee-devices earlier this morning (for the dashboard's grouping)."""

DEPLOYMENTS: tuple[tuple[datetime, str], ...] = (
    (datetime(2025, 2, 3, 14, 10, 0, tzinfo=UTC), "lee-engine:40"),
    (datetime(2025, 2, 10, 9, 14, 0, tzinfo=UTC), "lee-engine:41"),
    (datetime(2025, 2, 12, 16, 5, 0, tzinfo=UTC), "lee-engine:42"),
    (BAD_DEPLOY, "lee-engine:43"),
)
"""Lambda versions whose environment names lee-devices and lee-users (not the others)."""


def daily_backups(table: str) -> list[BackupSummary]:
    """An on-demand backup every day at 03:00 UTC for the last week."""
    size = next(t.size_bytes for t in TABLES if t.name == table)
    out = []
    for days_ago in range(7, 0, -1):
        created = datetime(2025, 2, 14, 3, 0, 0, tzinfo=UTC) - timedelta(days=days_ago - 1)
        name = f"{table}-daily-{created:%Y%m%d}"
        out.append(
            BackupSummary(
                arn=f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{table}/backup/{created:%Y%m%d}",
                name=name,
                table=table,
                created=created,
                status="AVAILABLE",
                backup_type="USER",
                size_bytes=size,
            )
        )
    return out


def activity(table: str) -> tuple[Sample, ...]:
    """One sample a minute for the last two days (ConsumedWriteCapacityUnits): a quiet daily
    rhythm, and on lee-devices a jump from the bad deployment on."""
    base = 12.0 if table == "lee-devices" else 4.0
    out: list[Sample] = []
    at = NOW - timedelta(days=2)
    while at < NOW:
        value = base + (at.hour % 6) + (at.minute % 4) * 0.5
        if table == "lee-devices" and at >= BAD_DEPLOY:
            value += 55.0
        out.append((at, value))
        at += timedelta(minutes=1)
    return tuple(out)


@dataclass
class SampleSource:
    """A ``ConsoleSource`` on fixed data. Restores finish after ``restore_polls`` CREATING polls,
    or, with ``restore_polls=None``, stay CREATING until ``release`` is set (or the app stops).
    ``started`` records every restore request sent."""

    read_only: bool = False
    is_sandbox: bool = True
    where: str = "us-east-1 @ http://127.0.0.1:4566"
    journal: Journal | None = None
    restore_polls: int | None = 2
    started: list[RestoreRequest] = field(default_factory=list)
    enabled: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    finished: set[str] = field(default_factory=set)
    trouble_listeners: list[Callable[[str], None]] = field(default_factory=list)
    leftovers: list[StartedProbe] = field(default_factory=list)  # left by killed find-good runs
    extra_tables: tuple[TableSummary, ...] = ()  # shown after TABLES (restores, ...)
    deleted_probes: list[str] = field(default_factory=list)

    def identity(self) -> Identity:
        return Identity(ACCOUNT, CALLER)

    def watch_trouble(self, listener: Callable[[str], None]) -> Callable[[], None]:
        self.trouble_listeners.append(listener)
        return lambda: self.trouble_listeners.remove(listener)

    def dashboard(
        self, tables: tuple[str, ...], now: datetime, on_table: OnTable | None = None
    ) -> DashboardData:
        rows = [t for t in TABLES + self.extra_tables if not tables or t.name in tables]
        for request in list(self.started):  # the targets, as DescribeTable would show them
            done = request.target_table in self.finished
            rows.append(
                replace(
                    _table(request.target_table, 0, 0),
                    status="ACTIVE" if done else "CREATING",
                    pitr=PitrWindow(False),
                    deletion_protection=False,
                    restore=RestoreInfo(
                        not done,
                        request.restore_point,
                        source_table_arn=_arn(request.source_table),
                    ),
                )
            )
        for row in rows:  # each as soon as it is described
            if on_table is not None:
                on_table(row, len(rows))
        return DashboardData(tables=tuple(rows), loaded_at=now)

    def timeline(self, table: str, now: datetime) -> TimelineData:
        summary = next(t for t in TABLES if t.name == table)
        markers: list[Marker] = []
        if table in ("lee-devices", "lee-users"):
            markers += [Marker(at, MarkerKind.DEPLOYMENT, label) for at, label in DEPLOYMENTS]
        markers += [Marker(b.created, MarkerKind.BACKUP, b.name) for b in daily_backups(table)]
        return TimelineData(
            table=summary,
            markers=tuple(markers),
            activity=activity(table),
            loaded_at=now,
        )

    def backups(self, table: str) -> list[BackupSummary]:
        return daily_backups(table)

    def enable_pitr(self, table: str) -> PitrWindow:
        self.enabled.append(table)
        return PitrWindow(True, NOW, NOW, recovery_period_days=35)

    def create_backup(self, table: str, now: datetime) -> BackupSummary:
        return replace(daily_backups(table)[-1], created=now, name=f"{table}-manual")

    def start_restore(self, request: RestoreRequest) -> None:
        self.started.append(request)

    def wait_for_restore(
        self,
        target: str,
        *,
        poll_seconds: float,
        on_progress: Callable[[RestoreProgress], None],
        cancelled: threading.Event,
        started: float,
    ) -> RestoreProgress:
        def poll(status: str, in_progress: bool) -> RestoreProgress:
            progress = RestoreProgress(target, status, in_progress, time.monotonic() - started)
            on_progress(progress)
            return progress

        progress = poll("CREATING", True)
        if self.restore_polls is None:
            while not (self.release.is_set() or cancelled.is_set()):
                cancelled.wait(0.02)
        else:
            for _ in range(self.restore_polls - 1):
                if cancelled.wait(min(poll_seconds, 0.01)):
                    return progress
                progress = poll("CREATING", True)
        if cancelled.is_set():
            return progress
        self.finished.add(target)
        return poll("ACTIVE", False)

    def count_items(self, table: str) -> int:
        return 3_000

    def leftover_probes(self) -> LeftoverScan:
        return LeftoverScan([p for p in self.leftovers if p.target not in self.deleted_probes], [])

    def delete_leftover_probes(
        self, probes: list[StartedProbe], on_deleted: OnDeleted
    ) -> list[StartedProbe]:
        for probe in probes:
            self.deleted_probes.append(probe.target)
            on_deleted(probe, True, None)
        return []


class SlowSource:
    """Wraps a source so that every call first sleeps (a slow network, item 10)."""

    def __init__(self, inner: SampleSource, seconds: float) -> None:
        self.inner = inner
        self.seconds = seconds
        self.read_only = inner.read_only
        self.is_sandbox = inner.is_sandbox
        self.where = inner.where
        self.journal = inner.journal
        self.calls: list[str] = []  # started
        self.finished: list[str] = []

    def _slow(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(name)
        time.sleep(self.seconds)
        result = getattr(self.inner, name)(*args, **kwargs)
        self.finished.append(name)
        return result

    def identity(self) -> Identity:
        result: Identity = self._slow("identity")
        return result

    def watch_trouble(self, listener: Callable[[str], None]) -> Callable[[], None]:
        return self.inner.watch_trouble(listener)

    def dashboard(
        self, tables: tuple[str, ...], now: datetime, on_table: OnTable | None = None
    ) -> DashboardData:
        result: DashboardData = self._slow("dashboard", tables, now, on_table)
        return result

    def timeline(self, table: str, now: datetime) -> TimelineData:
        result: TimelineData = self._slow("timeline", table, now)
        return result

    def backups(self, table: str) -> list[BackupSummary]:
        result: list[BackupSummary] = self._slow("backups", table)
        return result

    def enable_pitr(self, table: str) -> PitrWindow:
        result: PitrWindow = self._slow("enable_pitr", table)
        return result

    def create_backup(self, table: str, now: datetime) -> BackupSummary:
        result: BackupSummary = self._slow("create_backup", table, now)
        return result

    def start_restore(self, request: RestoreRequest) -> None:
        self._slow("start_restore", request)

    def wait_for_restore(self, target: str, **kwargs: Any) -> RestoreProgress:
        result: RestoreProgress = self._slow("wait_for_restore", target, **kwargs)
        return result

    def count_items(self, table: str) -> int:
        result: int = self._slow("count_items", table)
        return result

    def leftover_probes(self) -> LeftoverScan:
        return self.inner.leftover_probes()

    def delete_leftover_probes(
        self, probes: list[StartedProbe], on_deleted: OnDeleted
    ) -> list[StartedProbe]:
        return self.inner.delete_leftover_probes(probes, on_deleted)


class FixedClock:
    """The app's clock: fixed at ``NOW`` until a test moves it on."""

    def __init__(self, at: datetime = NOW) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def make_app(
    source: Any = None,
    *,
    clock: Callable[[], datetime] | None = None,
    restore_poll_seconds: float = 0.01,
    config: Config | None = None,
    drill: DrillMode | None = None,
) -> LeeConsoleApp:
    """The console on sample data (or on ``source``), with a fixed clock and zone (in drill
    mode with ``drill``).

    SampleSource covers what the dashboard, timeline, backups, plan and progress screens ask;
    the runbook's calls (verify, drift, repoint, ...) are not part of the sample."""
    chosen = source if source is not None else SampleSource()
    return LeeConsoleApp(
        cast(ConsoleSource, chosen),
        config or Config(min_coverage_days=30),
        clock=clock or FixedClock(),
        restore_poll_seconds=restore_poll_seconds,
        local_tz=LOCAL_TZ,
        drill=drill,
    )
