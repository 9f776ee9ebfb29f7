"""Everything the console asks of AWS, as one interface. The CLI hands the app an
`AwsConsoleSource` (aws/console_source.py); the snapshot tests hand it fixed sample data.
Every method may block on the network: call them from thread workers only."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # types only: the first frame imports this before boto3 (ui/connecting.py)
    from lee_console.aws.damage import ExportPlan
    from lee_console.aws.drill_finish import FinishedDrill
    from lee_console.aws.findgood import OnProbe
    from lee_console.aws.probe_tables import LeftoverScan, OnDeleted
    from lee_console.aws.repoint import RepointResult, RollbackResult
    from lee_console.aws.settings import ApplyResult
    from lee_console.core.drift import Drift, TableSettings
    from lee_console.core.drill.truth import DrillTruth
    from lee_console.core.exports.damage import DamageReport
    from lee_console.core.findgood import SearchEstimate, SearchResult
    from lee_console.core.pitr import PitrWindow
    from lee_console.core.probe_leftovers import StartedProbe
    from lee_console.core.repair import RepairPlan, RepairProgress, RepairResult
    from lee_console.core.repoint import Change, PendingRollback
    from lee_console.core.repoint_runs import RepointState
    from lee_console.core.restore import RestoreProgress, RestoreRequest
    from lee_console.core.verify import VerifyReport
    from lee_console.core.views import (
        BackupSummary,
        DashboardData,
        Identity,
        OnTable,
        TimelineData,
    )
    from lee_console.store.drills import DrillRecord
    from lee_console.store.journal_file import Journal


class ConsoleSource(Protocol):
    read_only: bool
    is_sandbox: bool
    where: str  # region and endpoint, for the header
    journal: Journal | None

    def identity(self) -> Identity: ...

    def finish_drill(
        self, state: Path, record: DrillRecord, truth: DrillTruth, now: datetime
    ) -> FinishedDrill:
        """Close the drill's incident, score it against ``truth``, save the result."""
        ...

    def watch_trouble(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Tell ``listener`` (from any thread) what AWS retries and outages are doing; returns
        the function that stops it."""
        ...

    def dashboard(
        self, tables: tuple[str, ...], now: datetime, on_table: OnTable | None = None
    ) -> DashboardData:
        """Every table, and ``on_table`` told of each as soon as it is described."""
        ...

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

    def verify(self, table: str, against: str | None) -> VerifyReport: ...

    def drift(
        self, live: str, restored: str
    ) -> tuple[TableSettings, TableSettings, list[Drift]]: ...

    def apply_settings(
        self, source: TableSettings, restored: TableSettings, drifts: list[Drift]
    ) -> ApplyResult: ...

    def plan_repoint(self, live: str, restored: str) -> list[Change]: ...

    def repoint(self, live: str, restored: str, changes: list[Change]) -> RepointResult: ...

    def pending_rollbacks(self) -> list[PendingRollback]: ...

    def rollback(self, pending: list[PendingRollback]) -> RollbackResult: ...

    def interrupted_repoints(self, live: str) -> list[RepointState]:
        """Repoints of ``live`` killed before their outcome, with what each reference holds
        now (aws/repoint_resume.py); raises while one is still being made."""
        ...

    def finish_repoint(self, state: RepointState) -> RepointResult:
        """Make the rest of an interrupted repoint and journal its outcome."""
        ...

    def plan_repair(self, live: str, restored: str) -> RepairPlan: ...

    def run_repair(
        self,
        plan: RepairPlan,
        on_progress: Callable[[RepairProgress], None],
        cancelled: threading.Event,
    ) -> RepairResult: ...

    def estimate_search(
        self, table: str, precision: timedelta, parallel: int | None
    ) -> tuple[SearchEstimate, datetime, datetime]:
        """``parallel`` None: probes per round chosen (core.findgood_plan.choose_parallel)."""
        ...

    def damage_plan(self, table: str, since: datetime, until: datetime) -> ExportPlan:
        """The incremental exports covering [since, until) and their cost (reads only)."""
        ...

    def damage(self, plan: ExportPlan, bucket: str, now: datetime) -> DamageReport:
        """Run the plan's exports and classify every changed item by the table's rules."""
        ...

    def find_good(
        self,
        table: str,
        precision: timedelta,
        parallel: int,
        window: tuple[datetime, datetime],
        on_probe: OnProbe,
        cancelled: threading.Event,
        adaptive: bool = False,
    ) -> SearchResult: ...

    def leftover_probes(self) -> LeftoverScan:
        """Probe tables find-good runs killed before their cleanup left (aws/probe_tables.py)."""
        ...

    def delete_leftover_probes(
        self, probes: list[StartedProbe], on_deleted: OnDeleted
    ) -> list[StartedProbe]:
        """Delete them (journaled); returns the ones still there."""
        ...

    def dr_test(self, table: str, say: Callable[[str], None], cancelled: threading.Event) -> str:
        """The quarterly restore test of ``table`` (aws/drtest.py test_and_save): its Markdown
        report. ``say`` gets the progress lines from the worker's thread."""
        ...
