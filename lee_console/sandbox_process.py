"""The drill sandbox behind `lee-console --sandbox`, kept running between launches.

The sandbox runs as its own background process (`python -m lee_console.sandbox`), recorded in
the state dir. Quitting the console leaves it running, so a relaunch finds the same tables and
the restores still in flight, as it would in AWS; `lee-console sandbox stop` ends it. A launch
with another scenario replaces it. No sandbox code is imported here: only a process is started.

Each sandbox has its own drill incident (``incident``, recorded with it): a new sandbox starts a
new one, and the caller ends the one of a sandbox that was replaced, stopped or found dead.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from lee_console.core.errors import InvalidInput
from lee_console.store.private import write_private

READY_PREFIX = "ready "
NO_SANDBOX = (
    "The sandbox is not installed (it needs moto): install lee-console[sandbox], "
    "e.g. pip install 'lee-console[sandbox]'."
)


def sandbox_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("moto") is not None


def require_sandbox() -> None:
    """A one-line refusal when the sandbox extra is not installed (a bastion's install)."""
    if not sandbox_installed():
        raise InvalidInput(NO_SANDBOX)


START_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class SandboxProcess:
    pid: int
    endpoint_url: str
    scenario: str
    started: float  # epoch seconds
    incident: str = ""  # the drill incident of this sandbox


def _record_path(state: Path) -> Path:
    return state / "sandbox.json"


def recorded_sandbox(state: Path) -> SandboxProcess | None:
    """The sandbox last recorded, alive or not."""
    try:
        raw = json.loads(_record_path(state).read_text(encoding="utf-8"))
        return SandboxProcess(**raw) if isinstance(raw, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def running_sandbox(state: Path) -> SandboxProcess | None:
    """The recorded sandbox, if its process is alive and answering."""
    record = live_sandbox(state)
    if record is None or not _answers(record.endpoint_url):
        return None
    return record


def live_sandbox(state: Path) -> SandboxProcess | None:
    """The recorded sandbox, if its process is alive, answering or not: one that is slow to
    answer (a fault injected, a loaded machine) is not gone, and must not be replaced by a
    second one nothing would stop."""
    return _live(recorded_sandbox(state))


def _live(record: SandboxProcess | None) -> SandboxProcess | None:
    if record is None or not record.endpoint_url:  # none, or still starting
        return None
    return record if _alive(record.pid) else None


def ensure_sandbox(
    state: Path,
    scenario: str,
    say: Callable[[str], None],
    new_incident: Callable[[], str],
    truth: Path,
) -> tuple[SandboxProcess, SandboxProcess | None]:
    """The running sandbox of ``scenario``, else a new one (with ``new_incident()`` as its
    drill incident, writing its ground truth to ``truth``); and the recorded sandbox this one
    ended (replaced, or found dead)."""
    recorded = recorded_sandbox(state)
    current = _live(recorded)  # read once, asked once: a silent sandbox costs one timeout
    if current is not None and not _answers(current.endpoint_url):
        raise InvalidInput(
            f"The drill sandbox ({current.scenario}, pid {current.pid}) is running but did not "
            f"answer at {current.endpoint_url}; relaunch in a moment, or `lee-console sandbox "
            "stop` ends it (and its drill incident)."
        )
    if current is not None and current.scenario == scenario:
        minutes = (time.time() - current.started) / 60
        say(
            f"Using the running sandbox ({scenario}, started {minutes:.0f} min ago); "
            "`lee-console sandbox stop` ends it."
        )
        return current, None
    if current is not None:
        say(f"Replacing the running {current.scenario} sandbox with a {scenario} one.")
        stop_sandbox(state)
    return start_sandbox_process(state, scenario, say, new_incident(), truth), recorded


def record_incident(state: Path, record: SandboxProcess, incident: str) -> SandboxProcess:
    """The sandbox's drill incident is now ``incident`` (its previous one was closed)."""
    updated = replace(record, incident=incident)
    _write_record(state, updated)
    return updated


def start_sandbox_process(
    state: Path,
    scenario: str,
    say: Callable[[str], None],
    incident: str,
    truth: Path,
    extra_args: Sequence[str] = (),
    label: str | None = None,
) -> SandboxProcess:
    """Start a sandbox process (``extra_args`` go to `sandbox serve`) and record it; ``label``
    is what the progress line calls it (default: the scenario's name)."""
    require_sandbox()
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    leftover = recorded_sandbox(state)
    if leftover is not None and not leftover.endpoint_url:  # a killed start left it seeding
        stop_sandbox(state)
    log_path = state / "sandbox.log"
    say(f"Starting the {label or scenario} sandbox (seeding 35 days of history)...")
    truth.unlink(missing_ok=True)
    command = [sys.executable, "-m", "lee_console.sandbox", "--port", "0", "--scenario", scenario]
    if scenario != "none":
        command += ["--truth-file", str(truth)]
    command += list(extra_args)
    descriptor = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # survives the console's terminal closing
        )
    # Recorded at once (without an endpoint until it is ready): should this process be killed
    # while the sandbox seeds, the next start finds the sandbox in the record and stops it.
    _write_record(state, SandboxProcess(process.pid, "", scenario, time.time(), incident))
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        url = _ready_url(log_path)
        if url:
            record = SandboxProcess(process.pid, url, scenario, time.time(), incident)
            _write_record(state, record)
            return record
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    tail = log_path.read_text(encoding="utf-8").strip().splitlines()[-1:] or ["no output"]
    raise InvalidInput(f"The sandbox did not start: {tail[0]} (log: {log_path}).")


def _write_record(state: Path, record: SandboxProcess) -> None:
    """Whole or not at all: a record read empty would leave its sandbox running unfound."""
    write_private(_record_path(state), json.dumps(asdict(record)))


def stop_sandbox(state: Path) -> SandboxProcess | None:
    """Stop the recorded sandbox; returns its record (None when none was recorded). A record
    whose process is gone is returned too: its drill incident has ended all the same."""
    record = recorded_sandbox(state)
    _record_path(state).unlink(missing_ok=True)
    if record is None:
        return None
    if _alive(record.pid):
        os.kill(record.pid, signal.SIGTERM)
    for _ in range(50):
        if not _alive(record.pid):
            break
        time.sleep(0.1)
    return record


def stop_live_writes(endpoint_url: str) -> None:
    """Stop a drill sandbox's live user writes; once this returns, its truth file holds every
    write made. A sandbox without live writes (or gone) is left as it is."""
    request = urllib.request.Request(f"{endpoint_url}/_lee/live-writes", data=b"", method="PUT")
    with contextlib.suppress(urllib.error.URLError, OSError):
        urllib.request.urlopen(request, timeout=15).close()


def _ready_url(log_path: Path) -> str | None:
    try:
        lines = log_path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(READY_PREFIX):
            return line[len(READY_PREFIX) :].strip()
    return None


def _alive(pid: int) -> bool:
    with contextlib.suppress(OSError):  # a sandbox this process started (a console, a test):
        os.waitpid(pid, os.WNOHANG)  # reaped once it ended, or it stays a zombie that answers 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except urllib.error.HTTPError:
        return True  # moto answers the bare URL with an error page: it is up
    except (urllib.error.URLError, OSError):
        return False
    return True
