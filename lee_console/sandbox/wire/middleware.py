"""The WSGI layer in front of moto: added latency, injected faults, the request log, and the
admin endpoint that changes the faults of a running sandbox (``/_lee/faults``: GET shows the
rules in force, PUT replaces them with the SPEC in the body and restarts their clock)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lee_console.sandbox.wire.errors import error_answer
from lee_console.sandbox.wire.faults import FaultPlan, FaultSpecError, parse_spec
from lee_console.sandbox.wire.operations import identify

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
ADMIN_PATH = "/_lee/faults"
LIVE_PATH = "/_lee/live-writes"  # PUT stops a drill's live writes (truth file flushed first)
_MAX_SPEC_BYTES = 64 * 1024


class RequestLog:
    """One JSON line per request received (before it is handled): time, service, operation,
    and the fault injected, if any. Created owner-only; appended under a lock."""

    def __init__(self, path: Path) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._file = os.fdopen(fd, "a", encoding="utf-8", buffering=1)
        self._lock = threading.Lock()

    def write(self, service: str, operation: str, fault: str | None) -> None:
        line = {
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "service": service,
            "operation": operation,
            "fault": fault,
        }
        with self._lock:
            self._file.write(json.dumps(line) + "\n")


class WireMiddleware:
    def __init__(
        self,
        app: WsgiApp,
        latency_ms: float = 0.0,
        faults: FaultPlan | None = None,
        request_log: RequestLog | None = None,
    ) -> None:
        self.app = app
        self.delay = latency_ms / 1000.0
        self.faults = faults if faults is not None else FaultPlan()
        self.request_log = request_log
        self.stop_live: Callable[[], None] | None = None  # set when live writes run

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") == ADMIN_PATH:
            return self._admin(environ, start_response)
        if environ.get("PATH_INFO") == LIVE_PATH:
            return self._live(environ, start_response)
        if not self.faults.rules and self.request_log is None and not self._limited(environ):
            self._network_delay()
            return self.app(environ, start_response)  # nothing to decide: no need to name it
        # Decided as the call arrives (AWS counts a limit's calls on arrival), then delayed:
        # after the delay, threads waking together would bunch calls that came apart.
        operation = identify(environ)
        decision = self.faults.decide(operation.name)
        if self.request_log is not None:
            self.request_log.write(operation.service, operation.name, decision.fault)
        self._network_delay()
        if decision.fault in ("drop", "down"):
            _close_connection(environ)
            start_response("500 Connection dropped", [("Connection", "close")])
            return [b""]
        if decision.fault is not None:
            status, headers, body = error_answer(decision.fault, operation)
            time.sleep(decision.delay_seconds)
            start_response(f"{status} Fault", [*headers, ("Content-Length", str(len(body)))])
            return [body]
        if decision.delay_seconds <= 0:
            return self.app(environ, start_response)
        # The call is handled at once (a write lands), its answer comes late: a slow network.
        answer = list(self.app(environ, start_response))
        time.sleep(decision.delay_seconds)
        return answer

    def _network_delay(self) -> None:
        if self.delay > 0:  # outside any lock: concurrent requests overlap
            time.sleep(self.delay)

    def _limited(self, environ: dict[str, Any]) -> bool:
        """A call AWS's own limits may refuse (they are JSON-protocol operations: the target
        header names them, without the cost of identify())."""
        if not self.faults.limited:
            return False
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        return target.rpartition(".")[2] in self.faults.limited

    def _admin(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REQUEST_METHOD") == "PUT":
            try:
                length = min(int(environ.get("CONTENT_LENGTH") or 0), _MAX_SPEC_BYTES)
                spec = environ["wsgi.input"].read(length).decode("utf-8")
                self.faults.replace(parse_spec(spec))
            except (FaultSpecError, UnicodeDecodeError, ValueError) as error:
                return _json(start_response, "400 Bad Request", {"error": str(error)})
        return _json(start_response, "200 OK", {"faults": self.faults.describe()})

    def _live(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """PUT: stop the live writes and answer once the truth file holds every write made (a
        drill is scored against it: a write after the score's reading would look lost)."""
        stop = self.stop_live
        if environ.get("REQUEST_METHOD") == "PUT" and stop is not None:
            stop()
            self.stop_live = None
            return _json(start_response, "200 OK", {"live_writes": "stopped"})
        return _json(start_response, "200 OK", {"live_writes": "running" if stop else "off"})


def _json(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    raw = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(raw)))]
    )
    return [raw]


def _close_connection(environ: dict[str, Any]) -> None:
    """Close the client's connection without an answer (werkzeug hands us its socket)."""
    connection = environ.get("werkzeug.socket")
    if connection is None:
        return
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
