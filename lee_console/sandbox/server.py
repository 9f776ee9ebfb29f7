"""A small threaded HTTP server around moto's WSGI app, behind the wire layer (latency, faults,
the request log: sandbox/wire/), with no per-request log line on stderr.

ThreadedMotoServer builds its app inside a private method and offers no hook to wrap it, so
this builds the same app (DomainDispatcherApplication(create_backend_app)) and wraps it.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from lee_console.sandbox.wire.faults import FaultPlan
from lee_console.sandbox.wire.middleware import RequestLog, WireMiddleware

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _QuietRequestHandler(MotoRequestHandler):
    """No per-request log line: a parent that pipes stderr without reading it would block."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _check_free(host: str, port: int) -> None:
    """Raise OSError (EADDRINUSE...) if ``host:port`` cannot be bound right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


class SandboxServer:
    """Serve moto on ``host:port`` (port 0 picks a free port) in a daemon thread."""

    def __init__(
        self,
        host: str,
        port: int,
        latency_ms: float = 0.0,
        faults: FaultPlan | None = None,
        request_log: RequestLog | None = None,
    ) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        moto_app: WsgiApp = DomainDispatcherApplication(create_backend_app)
        app = self.middleware = WireMiddleware(moto_app, latency_ms, faults, request_log)
        if port:
            _check_free(host, port)  # werkzeug would print to stderr and sys.exit(1)
        self._server: Any
        try:
            self._server = make_server(
                host, port, app, threaded=True, request_handler=_QuietRequestHandler
            )
        except SystemExit:  # werkzeug's reaction to a bind error (a race after the check)
            raise OSError(errno.EADDRINUSE, f"cannot listen on {host}:{port}") from None
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        """Start serving; the socket is already listening, so requests are accepted at once."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="lee-sandbox-http", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.server_close()
