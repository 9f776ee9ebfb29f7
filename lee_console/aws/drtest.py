"""The quarterly restore test over AWS: restore TABLE at the chosen point into a scratch table
(TABLE-drtest-YYYYMMDDTHHMMSSZ), time it, count and check its items with the integrity rules
(one full scan), find the reference count (an on-demand backup near the point), and delete the
scratch table (unless kept), also when the test fails, errs or is interrupted.

Journal: ``drtest-starting`` before the restore is sent (so a killed run's scratch table is
found by the next run: aws/probe_tables.py with core.probe_leftovers.DR_TEST), and ``drtest``
once the table is done with. The restore and the delete are journaled as AWS calls by the
session's hooks. Only a table this run created is ever deleted.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from lee_console.aws.backups import list_backups
from lee_console.aws.probe_tables import (
    CLEANUP_DEADLINE_SECONDS,
    DEFAULT_POLL_SECONDS,
    delete_leftover_probes,
    delete_probe_table,
    find_leftover_probes,
    running_search,
)
from lee_console.aws.restore import describe_backup, start_restore, wait_for_restore
from lee_console.aws.scan import DEFAULT_SEGMENTS
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_pitr, describe_table_raw, list_table_names
from lee_console.aws.verify import check_table, describe_shape
from lee_console.core.drtest.point import PointChoice, choose_point, scratch_name
from lee_console.core.drtest.render import markdown
from lee_console.core.drtest.result import (
    DrTestResult,
    ReferenceCount,
    RuleBreak,
    nearest_backup,
)
from lee_console.core.drtest.trend import trend
from lee_console.core.errors import LeeError, ReadOnlyRefused, TargetTableExists
from lee_console.core.journal import Kind
from lee_console.core.names import suggest_free_name
from lee_console.core.pitr import PitrWindow
from lee_console.core.probe_leftovers import DR_TEST
from lee_console.core.restore import RestoreKind, RestoreProgress, RestoreRequest
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc
from lee_console.store import dr_tests
from lee_console.store.processes import this_process
from lee_console.store.rules_file import load_rules_for

Say = Callable[[str], None]


@dataclass(frozen=True)
class Source:
    """The table under test, read before anything is created."""

    table: str
    arn: str | None
    window: PitrWindow
    live_item_count: int | None


def read_source(aws: Aws, table: str) -> Source:
    """DescribeTable and DescribeContinuousBackups of ``table`` (TableNotFound if absent)."""
    description = describe_table_raw(aws, table)
    count = description.get("ItemCount")
    return Source(
        table,
        str(description.get("TableArn") or "") or None,
        describe_pitr(aws, table),
        int(count) if isinstance(count, int) else None,
    )


def reference_count(aws: Aws, table: str, point: datetime) -> ReferenceCount:
    """The table's item count at ``point`` when an on-demand backup was taken near it."""
    try:
        backup = nearest_backup(point, list_backups(aws, table, "USER"))
        if backup is None:
            return ReferenceCount.unknown("no on-demand backup within 1 h of the restore point")
        details = describe_backup(aws, backup.arn).get("SourceTableDetails", {})
    except LeeError as error:
        return ReferenceCount.unknown(f"the backups could not be read: {error.message}")
    count = details.get("ItemCount")
    if not isinstance(count, int):
        return ReferenceCount.unknown(f"the backup {backup.name} does not say its item count")
    return ReferenceCount(
        count,
        f"the on-demand backup {backup.name} taken {format_utc(backup.created)} "
        "(DescribeBackup ItemCount)",
        backup.created,
    )


def new_run_id(now: datetime | None = None) -> str:
    """dt-<UTC second>-<6 hex>: names one dr-test run in the journal and the history."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"dt-{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass
class DrTestRun:
    """One run; ``run`` may be called once. ``cancelled`` stops the wait (the scratch table is
    still deleted, then KeyboardInterrupt is raised); ``abandon`` gives up the deletion."""

    aws: Aws
    source: Source
    choice: PointChoice
    rules: RuleSet
    rules_text: str
    say: Say
    keep: bool = False
    cancelled: threading.Event | None = None
    abandon: threading.Event | None = None
    poll_seconds: float = DEFAULT_POLL_SECONDS
    deadline_seconds: float = CLEANUP_DEADLINE_SECONDS
    segments: int = DEFAULT_SEGMENTS
    _last_said: tuple[str, int] = ("", -1)

    def run(self) -> DrTestResult:
        started = datetime.now(UTC)
        run_id = new_run_id(started)
        table = self.source.table
        target = scratch_name(table, started)
        existing = list_table_names(self.aws)
        if target in existing:
            target = suggest_free_name(target, existing)
        stop = self.cancelled or threading.Event()
        created = False
        outcome: dict[str, object] = {}
        with running_search(run_id):
            try:
                self._journal(Kind.DRTEST_STARTING, run_id, target, **this_process())
                self.say(f"Restoring {table} at {format_utc(self.choice.point)} into {target}.")
                begin = time.monotonic()
                request = RestoreRequest(
                    RestoreKind.POINT_IN_TIME, table, target, restore_point=self.choice.point
                )
                try:
                    start_restore(self.aws, request)
                except Exception as error:  # it may have reached AWS, unless refused
                    created = not isinstance(error, TargetTableExists | ReadOnlyRefused)
                    raise
                created = True
                progress = wait_for_restore(
                    self.aws, target, poll_seconds=self.poll_seconds, cancelled=stop,
                    on_progress=self._progress, started=begin,
                )  # fmt: skip
                if not progress.done:
                    raise KeyboardInterrupt
                seconds = time.monotonic() - begin
                self.say(f"Restored in {seconds:.1f} s; counting and checking the items.")
                result = self._check(run_id, target, started, seconds)
                outcome = {"verdict": result.verdict, "restore_seconds": round(seconds, 3),
                           "items": result.items}  # fmt: skip
            except BaseException as error:
                outcome = {"error": type(error).__name__}
                if isinstance(error, LeeError):
                    outcome["error"] = error.message
                raise
            finally:
                deleted = self._finish(run_id, target, created, outcome)
        return _with_deleted(result, deleted)

    def _check(self, run_id: str, target: str, started: datetime, seconds: float) -> DrTestResult:
        shape = describe_shape(self.aws, target)
        checked = check_table(
            self.aws, target, self.rules, shape.key_names, now=datetime.now(UTC),
            segments=self.segments,
        )  # fmt: skip
        point = self.choice.point
        return DrTestResult(
            run_id=run_id,
            table=self.source.table,
            scratch_table=target,
            restore_point=point,
            point_how=self.choice.how,
            started_at=started,
            restore_seconds=seconds,
            items=checked.items,
            violating_items=checked.violating_items,
            rules=self.rules_text,
            reference=reference_count(self.aws, self.source.table, point),
            live_item_count=self.source.live_item_count,
            rule_breaks=tuple(RuleBreak(r.rule, r.count, r.example) for r in checked.rules),
            where=self.aws.where,
            finished_at=datetime.now(UTC),
        )

    def _progress(self, progress: RestoreProgress) -> None:
        """A line when the status changes, else one a minute."""
        minute = int(progress.elapsed_seconds // 60)
        if (progress.status, minute) != self._last_said:
            self._last_said = (progress.status, minute)
            self.say(
                f"  {progress.target_table}: {progress.status}, {progress.elapsed_seconds:.0f} s"
            )

    def _finish(
        self, run_id: str, target: str, created: bool, outcome: dict[str, object]
    ) -> bool | None:
        """Delete the scratch table (unless kept) and journal the run's end."""
        deleted: bool | None = None
        error: str | None = None
        if created and not self.keep:
            self.say(f"Deleting the scratch table {target}.")
            try:
                deleted = delete_probe_table(
                    self.aws, target, poll_seconds=min(self.poll_seconds, 1.0),
                    deadline_seconds=self.deadline_seconds, abandon=self.abandon,
                )  # fmt: skip
            except LeeError as failure:
                deleted, error = False, failure.message
            if deleted:
                self.say(f"Deleted {target}.")
            else:
                self.say(
                    f"NOT deleted: {target}; delete it yourself: aws dynamodb delete-table "
                    f"--table-name {target}"
                )
        elif created:
            self.say(f"Kept the scratch table {target} (--keep); delete it when done.")
        self._journal(Kind.DRTEST, run_id, target, deleted=deleted if created else None,
                      kept=created and self.keep, delete_error=error, **outcome)  # fmt: skip
        return deleted

    def _journal(self, kind: str, run_id: str, target: str, **fields: object) -> None:
        if self.aws.journal is not None:
            self.aws.journal.append(
                kind,
                table=self.source.table,
                target=target,
                restore_point=format_utc(self.choice.point),
                search_id=run_id,
                source_arn=self.source.arn,
                **fields,
            )


def _with_deleted(result: DrTestResult, deleted: bool | None) -> DrTestResult:
    return replace(result, deleted=deleted)


def test_and_save(
    aws: Aws,
    table: str,
    say: Say,
    cancelled: threading.Event | None = None,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
) -> tuple[DrTestResult, str]:
    """The console's dr-test of ``table`` (a random point of the window, the shipped rules):
    leftover scratch tables of killed runs deleted first, the test run, the result saved.
    Returns the result and its Markdown report."""
    source = read_source(aws, table)
    choice = choose_point(source.window, table, datetime.now(UTC))
    scan = find_leftover_probes(aws, table, DR_TEST)
    for probe in scan.leftovers:
        say(f"Deleting the leftover scratch table of a killed dr-test: {probe.line()}.")
    delete_leftover_probes(aws, scan.leftovers, poll_seconds=1.0)
    rules = load_rules_for(table)
    rules_text = (
        f"rules {rules.table} from {rules.source}, {len(rules.rules)} rules"
        if not rules.empty
        else f"{rules.source}: counts only"
    )
    run = DrTestRun(aws, source, choice, rules, rules_text, say, cancelled=cancelled,
                    poll_seconds=poll_seconds)  # fmt: skip
    result = run.run()
    history = trend([*dr_tests.history(table), result])
    report = markdown(result, history)
    dr_tests.save_result(result, report)
    return result, report
