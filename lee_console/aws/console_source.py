"""The console's view of AWS: each screen's loader and each action, over one Aws handle.

Each action imports its aws/ module when first called: the dashboard's first row waits for
this module to be imported (ui/connecting.py), and the recovery modules (find-good, verify,
repair, repoint, exports) are 0.1 s of imports it does not need."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from lee_console.aws import dashboard
from lee_console.aws.retry_watch import once_in
from lee_console.aws.session import Aws
from lee_console.store.journal_file import Journal

if TYPE_CHECKING:
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


class AwsConsoleSource:
    def __init__(self, aws: Aws) -> None:
        self.aws = aws
        self.read_only = aws.settings.read_only
        self.is_sandbox = aws.settings.local
        self.where = aws.where
        self.journal: Journal | None = aws.journal

    def identity(self) -> Identity:
        return dashboard.load_identity(self.aws)

    def finish_drill(
        self, state: Path, record: DrillRecord, truth: DrillTruth, now: datetime
    ) -> FinishedDrill:
        from lee_console.aws.drill_finish import finish_drill  # a drill's end only

        return finish_drill(self.aws, state, record, truth, now)

    def watch_trouble(self, listener: Callable[[str], None]) -> Callable[[], None]:
        return self.aws.retries.listen(once_in(5.0, listener))

    def dashboard(
        self, tables: tuple[str, ...], now: datetime, on_table: OnTable | None = None
    ) -> DashboardData:
        return dashboard.load_dashboard(self.aws, tables, now, on_table)

    def timeline(self, table: str, now: datetime) -> TimelineData:
        from lee_console.aws import timeline_data

        return timeline_data.load_timeline(self.aws, table, now)

    def backups(self, table: str) -> list[BackupSummary]:
        from lee_console.aws import backups

        return backups.list_backups(self.aws, table)

    def enable_pitr(self, table: str) -> PitrWindow:
        from lee_console.aws import pitr_admin

        return pitr_admin.enable_pitr(self.aws, table)

    def create_backup(self, table: str, now: datetime) -> BackupSummary:
        from lee_console.aws import backups

        return backups.create_backup(self.aws, table, now)

    def start_restore(self, request: RestoreRequest) -> None:
        from lee_console.aws import restore

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
        from lee_console.aws import restore

        return restore.wait_for_restore(
            self.aws,
            target,
            poll_seconds=poll_seconds,
            on_progress=on_progress,
            cancelled=cancelled,
            started=started,
        )

    def count_items(self, table: str) -> int:
        from lee_console.aws import items

        return items.count_items(self.aws, table)

    # Recovery: verification, settings, cutover (repoint or repair), find-good.

    def verify(self, table: str, against: str | None) -> VerifyReport:
        from lee_console.aws import verify

        return verify.verify_table(self.aws, table, against)

    def drift(self, live: str, restored: str) -> tuple[TableSettings, TableSettings, list[Drift]]:
        from lee_console.aws import settings, settings_backup
        from lee_console.core.drift import plan_drift

        source = settings_backup.read_source_settings(self.aws, live, restored)
        target = settings.read_settings(self.aws, restored)
        return source, target, plan_drift(source, target)

    def apply_settings(
        self, source: TableSettings, restored: TableSettings, drifts: list[Drift]
    ) -> ApplyResult:
        from lee_console.aws import settings

        return settings.apply_settings(self.aws, source, restored, drifts)

    def plan_repoint(self, live: str, restored: str) -> list[Change]:
        from lee_console.aws import repoint

        return repoint.plan_cutover(self.aws, live, restored)

    def repoint(self, live: str, restored: str, changes: list[Change]) -> RepointResult:
        from lee_console.aws import repoint

        return repoint.repoint(self.aws, live, restored, changes)

    def pending_rollbacks(self) -> list[PendingRollback]:
        from lee_console.core.repoint import pending_rollbacks

        events = self.journal.events() if self.journal is not None else iter(())
        return pending_rollbacks(events)

    def rollback(self, pending: list[PendingRollback]) -> RollbackResult:
        from lee_console.aws import repoint

        return repoint.rollback(self.aws, pending)

    def interrupted_repoints(self, live: str) -> list[RepointState]:
        from lee_console.aws import repoint_resume

        events = self.journal.events() if self.journal is not None else []
        return repoint_resume.interrupted_states(self.aws, events, live)

    def finish_repoint(self, state: RepointState) -> RepointResult:
        from lee_console.aws import repoint_resume

        return repoint_resume.finish_repoint(self.aws, state)

    def plan_repair(self, live: str, restored: str) -> RepairPlan:
        from lee_console.aws import repair

        return repair.plan_repair(self.aws, live, restored)

    def run_repair(
        self,
        plan: RepairPlan,
        on_progress: Callable[[RepairProgress], None],
        cancelled: threading.Event,
    ) -> RepairResult:
        from lee_console.aws import repair

        return repair.run_repair(self.aws, plan, on_progress=on_progress, cancelled=cancelled)

    def estimate_search(
        self, table: str, precision: timedelta, parallel: int | None
    ) -> tuple[SearchEstimate, datetime, datetime]:
        from lee_console.aws import findgood

        return findgood.estimate_search(self.aws, table, precision, parallel)

    def damage_plan(self, table: str, since: datetime, until: datetime) -> ExportPlan:
        from lee_console.aws.damage import plan_exports

        return plan_exports(self.aws, table, since, until)

    def damage(self, plan: ExportPlan, bucket: str, now: datetime) -> DamageReport:
        from lee_console.aws.damage import find_damage_by_exports
        from lee_console.store.rules_file import load_rules_for

        return find_damage_by_exports(
            self.aws, plan.table, plan.periods, load_rules_for(plan.table), bucket,
            "lee-console/damage", lambda _line: None, now,
        )  # fmt: skip

    def find_good(
        self,
        table: str,
        precision: timedelta,
        parallel: int,
        window: tuple[datetime, datetime],
        on_probe: OnProbe,
        cancelled: threading.Event,
        adaptive: bool = False,
    ) -> SearchResult:
        from lee_console.aws import findgood
        from lee_console.store.rules_file import load_rules_for

        return findgood.find_good_point(
            self.aws,
            table,
            load_rules_for(table),
            precision=precision,
            parallel=parallel,
            adaptive=adaptive,
            window=window,
            on_probe=on_probe,
            cancelled=cancelled,
        )

    def leftover_probes(self) -> LeftoverScan:
        from lee_console.aws import probe_tables

        return probe_tables.find_leftover_probes(self.aws)

    def delete_leftover_probes(
        self, probes: list[StartedProbe], on_deleted: OnDeleted
    ) -> list[StartedProbe]:
        from lee_console.aws import probe_tables

        return probe_tables.delete_leftover_probes(self.aws, probes, on_deleted)

    def dr_test(self, table: str, say: Callable[[str], None], cancelled: threading.Event) -> str:
        from lee_console.aws.drtest import test_and_save  # the palette's DR test only

        return test_and_save(self.aws, table, say, cancelled)[1]
