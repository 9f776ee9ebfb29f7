"""Start, serve and stop a sandbox."""

from __future__ import annotations

import errno
import signal
import threading
from types import FrameType, TracebackType
from typing import Any, TextIO

from lee_console.sandbox.install import install_extension
from lee_console.sandbox.live import LiveWriter, live_rng, writable_devices
from lee_console.sandbox.options import SandboxError, SandboxOptions, validate
from lee_console.sandbox.scenarios import seed_scenario
from lee_console.sandbox.server import SandboxServer
from lee_console.sandbox.truth import ScenarioTruth
from lee_console.sandbox.wire.faults import AWS_LIMITS_SPEC, FaultPlan, parse_spec
from lee_console.sandbox.wire.middleware import RequestLog

_active_lock = threading.Lock()
_active: Sandbox | None = None


class Sandbox:
    """A running sandbox (a context manager: leaving the block stops it)."""

    def __init__(
        self,
        server: SandboxServer,
        truth: ScenarioTruth | None,
        live: LiveWriter | None = None,
    ) -> None:
        self._server = server
        self._truth = truth
        self._live = live
        self.endpoint_url = f"http://{_url_host(server.host)}:{server.port}"
        self._stopped = False

    @property
    def truth(self) -> ScenarioTruth | None:
        """The ground truth, with the live writes made so far."""
        return self._live.truth if self._live is not None else self._truth

    def stop(self) -> None:
        global _active
        if self._stopped:
            return
        self._stopped = True
        if self._live is not None:
            self._live.stop()  # before the server: no write lands on a stopping sandbox
        self._server.stop()
        with _active_lock:
            if _active is self:
                _active = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def start_sandbox(options: SandboxOptions) -> Sandbox:
    """Install the extension, seed the scenario, start the HTTP server in a daemon thread;
    return when it accepts requests. moto's state is process-global: a second call while a
    sandbox is running is refused; after stop() a new call starts from a clean slate."""
    global _active
    validate(options)
    with _active_lock:
        if _active is not None:
            raise SandboxError(
                f"A sandbox is already running in this process at {_active.endpoint_url}; "
                "stop it before starting another."
            )
        try:
            server = SandboxServer(
                options.host,
                options.port,
                options.latency_ms,
                FaultPlan(
                    parse_spec(options.faults),
                    parse_spec(AWS_LIMITS_SPEC) if options.api_limits else (),
                ),
                RequestLog(options.request_log) if options.request_log else None,
            )
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise SandboxError(
                    f"Port {options.port} on {options.host} is already in use; "
                    "choose another with --port, or --port 0 for a free one."
                ) from None
            raise SandboxError(
                f"Cannot listen on {options.host}:{options.port}: {exc.strerror or exc}."
            ) from None
        try:
            backend = install_extension(
                options.restore_lag_seconds, options.restore_seconds, options.export_seconds
            )
            truth = seed_scenario(backend, options)
            if truth is not None and options.truth_file is not None:
                truth.write(options.truth_file)
        except BaseException:
            server.stop()
            raise
        live = None
        if options.live_writes_per_minute > 0:
            live = LiveWriter(
                backend,
                options.live_writes_per_minute,
                live_rng(options.scenario, options.items, options.seed),
                writable_devices(options.scenario, truth, options.items),
                truth,
                options.truth_file,
            )
        server.start()
        if live is not None:
            server.middleware.stop_live = live.stop
            live.start()
        sandbox = Sandbox(server, truth, live)
        _active = sandbox
        return sandbox


def serve(options: SandboxOptions, out: TextIO) -> int:
    """Blocking: start, print exactly one line ``ready http://HOST:PORT`` to ``out`` once it
    accepts requests, serve until SIGINT or SIGTERM, stop cleanly, return 0."""
    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    sandbox = start_sandbox(options)
    try:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                previous[signum] = signal.signal(signum, _on_signal)
        out.write(f"ready {sandbox.endpoint_url}\n")
        out.flush()
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0
