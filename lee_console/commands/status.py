"""`lee-console status`: every table's PITR window and health. Exit 0 healthy, 1 alert."""

from __future__ import annotations

import argparse
import json
from contextlib import suppress
from pathlib import Path
from typing import Any

from lee_console.aws.inventory import inventory
from lee_console.commands.context import CommandContext
from lee_console.commands.formatting import dollars, human_bytes, text_table
from lee_console.commands.status_metrics import (
    DEFAULT_METRICS_PATH,
    check_metrics_options,
    emit_metrics,
)
from lee_console.core.cost import pitr_monthly_cost
from lee_console.core.numbers import in_range
from lee_console.core.pitr import TableSummary, alerts, is_healthy
from lee_console.core.timeparse import format_utc
from lee_console.core.views import BackupSummary

EXIT_HEALTHY = 0
EXIT_ALERT = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument(
        "--min-coverage-days",
        type=ascii_float,
        default=None,
        metavar="DAYS",
        help="alert below this PITR coverage (default 30, or the config file's)",
    )
    parser.add_argument(
        "--emit-metrics",
        choices=("cloudwatch", "prometheus"),
        help="publish each table's PITR signals to CloudWatch (namespace LEE/PITR) or write "
        "them as a Prometheus textfile (commands/status_metrics.py)",
    )
    parser.add_argument(
        "--metrics-file",
        type=Path,
        metavar="PATH",
        help=f"with --emit-metrics prometheus (default {DEFAULT_METRICS_PATH})",
    )


def ascii_float(text: str) -> float:
    """A number as typed in ASCII: float() also reads other scripts' digits (a full-width 3),
    '1_0' and padding; those get the line argparse gives for what is not a number."""
    if text.isascii() and "_" not in text and text == text.strip():
        with suppress(ValueError):
            return float(text)
    raise argparse.ArgumentTypeError(f"invalid float value: {text!r}")


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    threshold = (
        in_range("--min-coverage-days", args.min_coverage_days, 0, 365, "days")
        if args.min_coverage_days is not None
        else ctx.config.min_coverage_days
    )
    check_metrics_options(args, ctx)  # refused in one line before anything is read
    wanted = ctx.config.tables or None
    tables, deleted = inventory(ctx.aws, wanted)
    if args.emit_metrics:
        emit_metrics(args, ctx, tables, threshold)
    # A deleted table is an alert when it was asked for; otherwise it is listed, since a
    # planned deletion also leaves a SYSTEM backup for the recovery period.
    healthy = all(is_healthy(table, threshold) for table in tables) and not (wanted and deleted)
    if args.json:
        document = {
            "region": ctx.aws.region,
            "endpoint": ctx.aws.settings.endpoint_url,
            "generated_at": format_utc(ctx.now()),
            "min_coverage_days": threshold,
            "healthy": healthy,
            "tables": [table_json(table, threshold) for table in tables],
            "deleted_tables": [deleted_json(backup) for backup in deleted],
        }
        print(json.dumps(document, indent=2), file=ctx.out)
    else:
        if tables or not deleted:
            print(render(tables, threshold), file=ctx.out)
        for backup in deleted:
            print(deleted_line(backup), file=ctx.out)
        verdict = "all tables healthy" if healthy else "ALERT: see the alerts column"
        if wanted and deleted:
            verdict = f"ALERT: deleted: {', '.join(b.table for b in deleted)}"
        ctx.say(f"{len(tables)} tables, {verdict} (coverage threshold {threshold:g} days)")
    return EXIT_HEALTHY if healthy else EXIT_ALERT


def deleted_json(backup: BackupSummary) -> dict[str, Any]:
    return {
        "name": backup.table,
        "deleted_at": format_utc(backup.created),
        "system_backup_arn": backup.arn,
        "restore": f"lee-console restore {backup.table} --deleted --target {backup.table}",
    }


def deleted_line(backup: BackupSummary) -> str:
    return (
        f"DELETED {backup.table} at {format_utc(backup.created)}: restorable from its SYSTEM "
        f"backup: lee-console restore {backup.table} --deleted --target {backup.table}"
    )


def table_json(table: TableSummary, threshold: float) -> dict[str, Any]:
    pitr = table.pitr
    return {
        "name": table.name,
        "status": table.status,
        "pitr_status": "ENABLED" if pitr.enabled else "DISABLED",
        "earliest_restorable": format_utc(pitr.earliest) if pitr.earliest else None,
        "latest_restorable": format_utc(pitr.latest) if pitr.latest else None,
        "coverage_days": round(pitr.coverage_days, 2) if pitr.coverage_days is not None else None,
        "recovery_period_days": pitr.recovery_period_days,
        "item_count": table.item_count,
        "size_bytes": table.size_bytes,
        "deletion_protection": table.deletion_protection,
        "pitr_monthly_cost_usd": round(pitr_monthly_cost(table.size_bytes), 4),
        "restore_in_progress": bool(table.restore and table.restore.in_progress),
        "alerts": [alert.value for alert in alerts(table, threshold)],
        "healthy": is_healthy(table, threshold),
    }


def render(tables: list[TableSummary], threshold: float) -> str:
    headers = [
        "TABLE", "STATUS", "PITR", "EARLIEST", "LATEST", "COVER", "PERIOD",
        "ITEMS", "SIZE", "DEL-PROT", "PITR/MO", "ALERTS",
    ]  # fmt: skip
    rows = []
    for table in tables:
        pitr = table.pitr
        rows.append(
            [
                table.name,
                table.status,
                "ENABLED" if pitr.enabled else "DISABLED",
                format_utc(pitr.earliest) if pitr.earliest else "-",
                format_utc(pitr.latest) if pitr.latest else "-",
                f"{pitr.coverage_days:.1f}d" if pitr.coverage_days is not None else "-",
                f"{pitr.recovery_period_days}d" if pitr.recovery_period_days else "-",
                str(table.item_count),
                human_bytes(table.size_bytes),
                "on" if table.deletion_protection else "off",
                dollars(pitr_monthly_cost(table.size_bytes)),
                ", ".join(alert.value for alert in alerts(table, threshold)) or "ok",
            ]
        )
    if not rows:
        return "No tables in this account and region."
    return text_table(headers, rows)
