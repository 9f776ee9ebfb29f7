"""A screen's background read, followed: progress while it runs, the failure with its reason
when it fails, a deadline when it does not answer, and each time the key that retries.

A screen's workers report to the screen alone (``Worker.StateChanged`` does not bubble to the
app), so a read that failed used to leave "Reading..." on screen for good."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from lee_console.ui.screens.console_access import ConsoleAccess

LOAD_TIMEOUT_SECONDS = 30.0
"""How long a read may take before its screen says so (``LeeConsoleApp.load_timeout_seconds``
overrides it, for tests)."""

FINISHED = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)


class ScreenLoad:
    """One kind of read on one screen: ``begin`` it with the worker that reads; the screen's
    worker handler (``ConsoleAccess``) passes every state change to ``handle``."""

    def __init__(
        self,
        owner: ConsoleAccess,
        show: Callable[[str], None],
        retry: str = "ctrl+r retries",
        on_timeout: Callable[[], None] | None = None,
        *,
        back: bool = True,
    ) -> None:
        self.owner = owner
        self.show = show  # where the progress, failure and timeout lines go
        self.retry = f"{retry}; escape goes back." if back else f"{retry}."
        self.on_timeout = on_timeout
        self.worker: Worker[Any] | None = None
        self.what = ""
        self.timer: Timer | None = None
        self.failure: str | None = None  # the last failure's line, until the next read
        owner.screen_loads.append(self)

    def begin(self, worker: Worker[Any], what: str, *, quiet: bool = False) -> None:
        """Follow ``worker``, which does ``what`` ("Reading the tables"). It says so now unless
        ``quiet`` (a refresh of what is already shown); it fails or times out aloud."""
        self._stop_timer()
        self.worker = worker
        self.what = what
        self.failure = None
        timeout = self.owner.console.load_timeout_seconds
        self.timer = self.owner.set_timer(timeout, partial(self._expired, worker, timeout))
        if not quiet:
            self.show(f"{what}...")

    def owns(self, worker: Worker[Any] | None) -> bool:
        """Is ``worker`` the read this screen waits for (not one a retry replaced)?"""
        return worker is not None and worker is self.worker

    def handle(self, event: Worker.StateChanged) -> bool:
        """Take the state change of this load's worker (True), or leave it (False)."""
        if event.worker is not self.worker:
            return False
        if event.state not in FINISHED:
            return True
        self._stop_timer()
        self.worker = None
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            reason = self.owner.console.worker_failed(error, event.worker.name)
            self.failure = f"{self.what} failed: {reason}\n{self.retry}"
            self.show(self.failure)
        return True

    def _expired(self, worker: Worker[Any], timeout: float) -> None:
        if worker is not self.worker or worker.is_finished or not self.owner.is_attached:
            return
        self.failure = (
            f"{self.what}: still no answer after {timeout:g} s. It goes on, and its answer is "
            f"shown if it comes.\n{self.retry}"
        )
        self.show(self.failure)
        if self.on_timeout is not None:
            self.on_timeout()

    def _stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.timer = None
