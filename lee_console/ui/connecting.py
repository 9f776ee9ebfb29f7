"""The console's first frame comes before boto3 is imported and before the credentials are read
(an instance profile or SSO can take a second or more): the AWS handle is built by the first
worker that needs it, and every other call waits for that one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from lee_console.store.journal_file import Journal
from lee_console.ui.source import ConsoleSource


class ConnectingSource:
    """A ConsoleSource whose real one is built on first use, off the UI thread.

    What the first frame shows (read-only, sandbox, the journal, where) is known from the
    settings; ``where`` becomes the session's once connected (a profile's region). If building
    it fails (an unknown profile, no credentials), every call raises that error, and
    ``failure`` holds it for the CLI to say in one line once the console has closed.
    """

    def __init__(
        self,
        connect: Callable[[], ConsoleSource],
        *,
        read_only: bool,
        is_sandbox: bool,
        journal: Journal | None,
        where: str,
        on_failure: Callable[[BaseException], None] = lambda _: None,
    ) -> None:
        self.read_only = read_only
        self.is_sandbox = is_sandbox
        self.journal = journal
        self._where = where
        self._connect = connect
        self._on_failure = on_failure
        self._connecting = threading.Lock()  # held while the first caller connects
        self._state = threading.Lock()  # held only a moment: the UI thread takes it too
        self._source: ConsoleSource | None = None
        self.failure: BaseException | None = None
        # Each listener's way to stop, once the real source watches for it.
        self._listeners: dict[Callable[[str], None], Callable[[], None] | None] = {}

    @property
    def where(self) -> str:
        return self._source.where if self._source is not None else self._where

    def connected(self) -> ConsoleSource:
        """The real source, built here by the first caller (never the UI thread: every call
        but ``watch_trouble`` reads AWS and so runs in a worker)."""
        if self._source is not None:
            return self._source
        with self._connecting:  # the callers after the first wait here while it connects
            if self.failure is not None:
                raise self.failure
            if self._source is None:
                try:
                    source = self._connect()
                except BaseException as error:
                    self.failure = error
                    self._on_failure(error)
                    raise
                with self._state:
                    for listener in self._listeners:
                        self._listeners[listener] = source.watch_trouble(listener)
                    self._source = source
            return self._source

    def watch_trouble(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Called by the app as it mounts, before the session exists: the listener is handed
        to the real source once built."""
        with self._state:
            if self._source is not None:
                return self._source.watch_trouble(listener)
            self._listeners[listener] = None

        def stop() -> None:
            with self._state:
                unwatch = self._listeners.pop(listener, None)
            if unwatch is not None:
                unwatch()

        return stop

    def __getattr__(self, name: str) -> Any:
        return getattr(self.connected(), name)
