"""`status --emit-metrics cloudwatch|prometheus [--metrics-file PATH]`: publish each table's
PITR signals (core/metrics.py) after the status is read, with the last dr-test's verdict and
restore duration from the history (store/dr_tests.py latest).

- cloudwatch: PutMetricData, namespace LEE/PITR, dimension TableName, in batches. A write:
  --read-only refuses it in one line before anything is read. Not journaled: status journals
  nothing, and a monitor that runs every few minutes is no incident action.
- prometheus: the text format for node_exporter's textfile collector, written atomically to
  --metrics-file (store/prometheus_file.py: 0644, table names and numbers only). Allowed with
  --read-only: nothing is written to AWS.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from lee_console.aws.readonly import refusal
from lee_console.commands.context import CommandContext
from lee_console.core.errors import InvalidInput
from lee_console.core.pitr import TableSummary
from lee_console.store.prometheus_file import DEFAULT_PATH, check_metrics_path, write_metrics_file

if TYPE_CHECKING:
    from lee_console.core.metrics import Signal

DEFAULT_METRICS_PATH = DEFAULT_PATH


def check_metrics_options(args: argparse.Namespace, ctx: CommandContext) -> None:
    if args.metrics_file is not None and args.emit_metrics != "prometheus":
        raise InvalidInput("--metrics-file goes with --emit-metrics prometheus.")
    if args.emit_metrics == "prometheus":
        check_metrics_path(args.metrics_file or DEFAULT_PATH)
    if args.emit_metrics == "cloudwatch" and ctx.config.read_only:
        raise refusal(
            "Not publishing metrics to CloudWatch (PutMetricData is a write)",
            "Use --emit-metrics prometheus, or run without --read-only.",
        )


def signals_of(tables: list[TableSummary], threshold: float) -> list[Signal]:
    # imported here: the signals pull in the dr-test results (and the report's units), which
    # a plain `status` does not need (bench/bench_launch.py measures its start)
    from lee_console.core.metrics import table_signals
    from lee_console.store import dr_tests

    found: list[Signal] = []
    for table in tables:
        found += table_signals(table, threshold, dr_tests.latest(table.name))
    return found


def emit_metrics(
    args: argparse.Namespace, ctx: CommandContext, tables: list[TableSummary], threshold: float
) -> None:
    from lee_console.aws.metrics import put_signals
    from lee_console.core.metrics import NAMESPACE, prometheus_text

    signals = signals_of(tables, threshold)
    if args.emit_metrics == "cloudwatch":
        requests = put_signals(ctx.aws, signals)
        ctx.say(
            f"Published {len(signals)} metrics of {len(tables)} tables to CloudWatch "
            f"({NAMESPACE}, {requests} PutMetricData request(s))."
        )
    else:
        path = write_metrics_file(args.metrics_file or DEFAULT_PATH, prometheus_text(signals))
        ctx.say(f"Wrote {len(signals)} metrics of {len(tables)} tables to {path}.")
