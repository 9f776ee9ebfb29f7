"""The sandbox's options and the one error it raises for bad ones."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from lee_console import listening
from lee_console.core.errors import LeeError
from lee_console.listening import PortUnavailable
from lee_console.sandbox.wire.faults import FaultSpecError, parse_spec

SCENARIOS: tuple[str, ...] = ("none", "bad-deployment", "accidental-delete", "gradual-corruption")


class SandboxError(LeeError):
    """The sandbox cannot start with these options (one plain sentence; the CLI exits 2)."""


@dataclass(frozen=True)
class SandboxOptions:
    host: str = "127.0.0.1"
    port: int = 0  # 0 = pick a free port
    scenario: str = "none"  # none | bad-deployment | accidental-delete | gradual-corruption
    restore_lag_seconds: float = 300.0  # LatestRestorableDateTime = now - lag (AWS: about 5 min)
    restore_seconds: float = 15.0  # a restored table stays CREATING this long, then ACTIVE
    export_seconds: float = 20.0  # an export stays IN_PROGRESS this long, then COMPLETED
    latency_ms: float = 0.0  # fixed delay added to every HTTP request
    truth_file: Path | None = None  # write the scenario's ground truth JSON here
    items: int = 3000  # size of lee-devices
    faults: str = ""  # fault rules (sandbox/wire/faults.py), changeable later at /_lee/faults
    api_limits: bool = True  # enforce AWS's own request limits (DescribeContinuousBackups 10/s)
    request_log: Path | None = None  # one JSON line per request received
    seed: int | None = None  # vary the incident (scenarios/variation.py); None: today's constants
    live_writes_per_minute: float = 0.0  # legitimate device writes while serving (0: none)


def check_port_free(host: str, port: int) -> None:
    """Raise SandboxError if ``host:port`` (not 0) cannot be bound right now."""
    try:
        listening.check_port_free(host, port, "--port")
    except PortUnavailable as exc:
        raise SandboxError(exc.message) from None


_DAY = 86_400.0
SEED_MAX = 2**31 - 1
LIVE_WRITES_MAX = 6000.0  # per minute: 100 a second


def check_host(host: str) -> None:
    """Raise SandboxError unless ``host`` is an address this machine can listen on by name."""
    if not host.strip():
        raise SandboxError(
            "--host must not be empty: give an address to listen on, such as 127.0.0.1."
        )
    try:
        socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise SandboxError(
            f"--host {host!r} is not an address of this machine: give one such as 127.0.0.1."
        ) from None


def validate(options: SandboxOptions) -> None:
    """Raise SandboxError for options the sandbox cannot use."""
    if options.scenario not in SCENARIOS:
        raise SandboxError(
            f"Unknown scenario '{options.scenario}'; choose one of: {', '.join(SCENARIOS)}."
        )
    if not 0 <= options.port <= 65535:
        raise SandboxError(f"Port {options.port} is not a valid port; use 0 to pick a free one.")
    check_host(options.host)
    for label, value, top in (
        ("--restore-lag", options.restore_lag_seconds, _DAY),
        ("--restore-seconds", options.restore_seconds, _DAY),
        ("--export-seconds", options.export_seconds, _DAY),
        ("--latency-ms", options.latency_ms, 600_000.0),
        ("--live-writes", options.live_writes_per_minute, LIVE_WRITES_MAX),
    ):
        if not 0 <= value <= top:  # refuses nan and inf too
            raise SandboxError(f"{label} must be a number from 0 to {top:g} (got {value:g}).")
    if options.seed is not None and not (
        isinstance(options.seed, int) and 0 <= options.seed <= SEED_MAX
    ):
        raise SandboxError(f"--seed must be a whole number from 0 to {SEED_MAX}.")
    if options.items < 1:
        raise SandboxError(f"--items must be at least 1 (got {options.items}).")
    if options.truth_file is not None and not options.truth_file.parent.is_dir():
        raise SandboxError(
            f"Cannot write the truth file {options.truth_file}: "
            f"the folder {options.truth_file.parent} does not exist."
        )
    if options.request_log is not None and not options.request_log.parent.is_dir():
        raise SandboxError(
            f"Cannot write the request log {options.request_log}: "
            f"the folder {options.request_log.parent} does not exist."
        )
    try:
        parse_spec(options.faults)
    except FaultSpecError as error:
        raise SandboxError(f"--faults: {error}") from None
    check_port_free(options.host, options.port)
