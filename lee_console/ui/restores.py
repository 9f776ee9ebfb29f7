"""Restores the console started or found running. They belong to the app, not to a screen:
leaving the progress screen never stops one (AWS cannot cancel a restore anyway), and several
can run at once. Each is polled by its own thread worker; updates reach screens as a signal."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from textual.signal import Signal

from lee_console.core.awscli import aws_cli_line
from lee_console.core.errors import LeeError
from lee_console.core.estimate import DurationEstimate
from lee_console.core.journal import JournalEvent, Kind, format_utc_ms
from lee_console.core.restore import (
    RestoreProgress,
    RestoreRequest,
    finished_event,
    restore_api_params,
    started_event,
)
from lee_console.core.timeparse import format_utc

if TYPE_CHECKING:
    from lee_console.ui.app import LeeConsoleApp


@dataclass
class TrackedRestore:
    request: RestoreRequest
    started_at: datetime  # wall clock, UTC: when the restore call was sent
    estimate: DurationEstimate | None = None
    status: str = "STARTING"
    in_progress: bool = True
    finished_at: datetime | None = None
    item_count: int | None = None
    error: str | None = None
    reattached: bool = False
    seen_restoring: bool = False  # a poll saw it still restoring
    source_size_bytes: int = 0
    log: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)

    @property
    def target(self) -> str:
        return self.request.target_table

    @property
    def done(self) -> bool:
        return self.finished_at is not None or self.error is not None

    def elapsed_seconds(self, now: datetime) -> float:
        end = self.finished_at or now
        return max(0.0, (end - self.started_at).total_seconds())


class RestoreTracker:
    def __init__(self, app: LeeConsoleApp) -> None:
        self.app = app
        self.restores: dict[str, TrackedRestore] = {}
        self.changed: Signal[str] = Signal(app, "restore-changed")
        self.stopping = threading.Event()

    def start(
        self, request: RestoreRequest, estimate: DurationEstimate | None, size_bytes: int = 0
    ) -> TrackedRestore:
        """Send the restore in a worker and follow it. Returns at once."""
        tracked = TrackedRestore(
            request=request,
            started_at=self.app.now(),
            estimate=estimate,
            source_size_bytes=size_bytes,
        )
        operation, params = restore_api_params(request)
        tracked.commands.append(aws_cli_line("dynamodb", operation, params))
        self._log(tracked, f"plan confirmed: {request.describe()}")
        return self._follow(tracked, send=True)

    def reattach(self, request: RestoreRequest, started_at: datetime) -> TrackedRestore:
        """Follow a restore started earlier (by this console before a relaunch, or elsewhere)."""
        if request.target_table in self.restores:
            return self.restores[request.target_table]
        tracked = TrackedRestore(request=request, started_at=started_at, reattached=True)
        self._log(tracked, f"reattached: started {format_utc(started_at)}")
        return self._follow(tracked, send=False)

    def _follow(self, tracked: TrackedRestore, *, send: bool) -> TrackedRestore:
        self.restores[tracked.target] = tracked
        self.app.run_worker(
            lambda: self._run(tracked, send=send),
            thread=True,
            group="restores",
            name=f"{'restore' if send else 'reattach'} {tracked.target}",
            exit_on_error=False,
        )
        return tracked

    def _run(self, tracked: TrackedRestore, *, send: bool) -> None:
        source = self.app.source
        try:
            if send:
                source.start_restore(tracked.request)
                self._from_thread(tracked, "restore call accepted by AWS", status="CREATING")
                if source.journal:
                    source.journal.append(Kind.RESTORE_STARTED, **started_event(tracked.request))
            begin = time.monotonic() - tracked.elapsed_seconds(self.app.now())
            source.wait_for_restore(
                tracked.target,
                poll_seconds=self.app.restore_poll_seconds,
                on_progress=lambda progress: self._poll(tracked, progress),
                cancelled=self.stopping,
                started=begin,
            )
            if self.stopping.is_set():
                return
            active_at = self.app.now()  # the restore's duration ends here, not after counting
            count = source.count_items(tracked.target)
            self.app.call_from_thread(self._finish, tracked, count, active_at)
        except LeeError as error:
            self.app.call_from_thread(self._fail, tracked, error.message)
        except Exception as error:  # never leave a restore shown as running forever
            self.app.call_from_thread(self._fail, tracked, f"{type(error).__name__}: {error}")

    def _poll(self, tracked: TrackedRestore, progress: RestoreProgress) -> None:
        if self.stopping.is_set():
            return
        self.app.call_from_thread(self._apply_poll, tracked, progress)

    def _apply_poll(self, tracked: TrackedRestore, progress: RestoreProgress) -> None:
        state = "in progress" if progress.in_progress else "not in progress"
        if progress.status != tracked.status:
            self._log(tracked, f"status {tracked.status} -> {progress.status}")
        self._log(tracked, f"poll: DescribeTable {progress.status}, RestoreInProgress {state}")
        tracked.status = progress.status
        tracked.in_progress = progress.in_progress
        tracked.seen_restoring = tracked.seen_restoring or not progress.done
        self.changed.publish(tracked.target)

    def _from_thread(self, tracked: TrackedRestore, line: str, status: str) -> None:
        def apply() -> None:
            tracked.status = status
            self._log(tracked, line)

        self.app.call_from_thread(apply)

    def _finish(self, tracked: TrackedRestore, count: int, active_at: datetime) -> None:
        tracked.finished_at = active_at
        tracked.item_count = count
        tracked.in_progress = False
        elapsed: float | None = tracked.elapsed_seconds(tracked.finished_at)
        if tracked.reattached and not tracked.seen_restoring:
            # It finished while the console was away: when exactly is not known.
            elapsed = None
            self._log(tracked, f"restore complete while the console was away: {count:,} items")
        else:
            self._log(tracked, f"restore complete: ACTIVE, {count:,} items, {elapsed:.0f} s")
        journal = self.app.source.journal
        if journal:
            if tracked.reattached and not _start_journaled(journal.events(), tracked.target):
                # Its start never reached this journal (a process killed right after AWS
                # accepted it, or a restore started elsewhere): journaled late, as headless.
                journal.append(
                    Kind.RESTORE_STARTED,
                    **started_event(tracked.request),
                    occurred_at=format_utc_ms(tracked.started_at),
                    journaled_late=True,
                )
            journal.append(
                Kind.RESTORE_FINISHED,
                **finished_event(tracked.request, elapsed, count, tracked.source_size_bytes),
            )
        self.app.notify(
            f"{tracked.target} is ACTIVE ({count:,} items). The runbook guides what follows.",
            title="Restore done",
        )
        self.changed.publish(tracked.target)
        self.app.restore_finished(tracked.target)

    def _fail(self, tracked: TrackedRestore, message: str) -> None:
        tracked.error = message
        tracked.in_progress = False
        self._log(tracked, f"FAILED: {message}")
        self.app.notify(message, title=f"Restore {tracked.target}", severity="error", timeout=15)

    def _log(self, tracked: TrackedRestore, line: str) -> None:
        tracked.log.append(f"{self.app.now():%H:%M:%S}Z  {line}")
        self.changed.publish(tracked.target)


def _start_journaled(events: list[JournalEvent], target: str) -> bool:
    return any(e.kind == Kind.RESTORE_STARTED and e.data.get("target") == target for e in events)
