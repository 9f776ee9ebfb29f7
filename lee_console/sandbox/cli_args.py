"""The `serve` flags, shared by `python -m lee_console.sandbox` and `lee-console sandbox serve`."""

from __future__ import annotations

import argparse
from pathlib import Path

from lee_console.sandbox.options import SCENARIOS, SEED_MAX, SandboxOptions

_DEFAULTS = SandboxOptions()


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=_DEFAULTS.host, help="address to listen on")
    parser.add_argument(
        "--port", type=_port, default=_DEFAULTS.port, help="port to listen on (0: a free port)"
    )
    parser.add_argument(
        "--scenario",
        default=_DEFAULTS.scenario,
        choices=SCENARIOS,
        help="incident to seed (default: none)",
    )
    parser.add_argument(
        "--restore-lag",
        type=float,
        default=_DEFAULTS.restore_lag_seconds,
        metavar="SECONDS",
        help="LatestRestorableDateTime = now - this (AWS: about 300)",
    )
    parser.add_argument(
        "--restore-seconds",
        type=float,
        default=_DEFAULTS.restore_seconds,
        metavar="SECONDS",
        help="how long a restored table stays CREATING",
    )
    parser.add_argument(
        "--export-seconds",
        type=float,
        default=_DEFAULTS.export_seconds,
        metavar="SECONDS",
        help="how long an export to S3 stays IN_PROGRESS before it is COMPLETED",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=_DEFAULTS.latency_ms,
        metavar="MS",
        help="fixed delay added to every request",
    )
    parser.add_argument(
        "--truth-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="write the scenario's ground truth (JSON) here",
    )
    parser.add_argument(
        "--items", type=int, default=_DEFAULTS.items, help="number of lee-devices items"
    )
    parser.add_argument(
        "--no-api-limits",
        dest="api_limits",
        action="store_false",
        help="do not enforce AWS's request limits (DescribeContinuousBackups: 10 calls a second)",
    )
    parser.add_argument(
        "--faults",
        default=_DEFAULTS.faults,
        metavar="SPEC",
        help="inject faults: KIND[@OPS][,OPTION=VALUE...] joined by ';', KIND one of throttle, "
        "5xx, latency, drop, down, expired, limit (e.g. 'throttle@DescribeTable,rate=0.5; "
        "down,from=30s,for=2m'); see the README",
    )
    parser.add_argument(
        "--request-log",
        type=Path,
        default=None,
        metavar="FILE",
        help="append one JSON line per request received (service, operation, fault)",
    )
    parser.add_argument(
        "--seed",
        type=_seed,
        default=None,
        metavar="N",
        help="vary the incident with N (0 to 2147483647): when the damage began, how much, "
        "its shape, the traffic (default: the same incident every time)",
    )
    parser.add_argument(
        "--live-writes",
        type=float,
        default=_DEFAULTS.live_writes_per_minute,
        metavar="PER_MINUTE",
        help="while serving, make this many legitimate device writes a minute on average to "
        "the table /lee/tables/devices names, recorded in the truth file (default: 0, none)",
    )


def _port(text: str) -> int:
    """A port in ASCII digits (int() also reads other scripts' digits, and ' 7' and '1_0')."""
    if not (text.isascii() and text.isdigit() and len(text) <= 5):
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give 0 to 65535")
    return int(text)


def _seed(text: str) -> int:
    """A seed in ASCII digits (as _port: int() also reads other scripts' digits)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= SEED_MAX):
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed: give 0 to {SEED_MAX}")
    return int(text)


def options_from_args(ns: argparse.Namespace) -> SandboxOptions:
    return SandboxOptions(
        host=ns.host,
        port=ns.port,
        scenario=ns.scenario,
        restore_lag_seconds=ns.restore_lag,
        restore_seconds=ns.restore_seconds,
        export_seconds=ns.export_seconds,
        latency_ms=ns.latency_ms,
        truth_file=ns.truth_file,
        items=ns.items,
        faults=ns.faults,
        api_limits=ns.api_limits,
        request_log=ns.request_log,
        seed=ns.seed,
        live_writes_per_minute=ns.live_writes,
    )
