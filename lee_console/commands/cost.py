"""`lee-console cost`: the decision record's PITR-versus-daily-backups comparison, computed
from the real table sizes, month by month."""

from __future__ import annotations

import argparse
import json

from lee_console.aws.tables import describe_tables
from lee_console.commands.context import CommandContext
from lee_console.commands.formatting import dollars, human_bytes, text_table
from lee_console.core.cost import CostMonth, compare_strategies
from lee_console.core.numbers import in_range

MAX_MONTHS = 120  # ten years, a row each
MAX_RETENTION_DAYS = 36500
MAX_GROWTH_GB = 100_000  # 100 TB more each month


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backup-retention-days", type=int, default=7, metavar="N")
    parser.add_argument("--growth-gb-per-month", type=float, default=0.0, metavar="G")
    parser.add_argument("--months", type=int, default=12, metavar="M")
    parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    in_range("--months", args.months, 0, MAX_MONTHS)
    in_range("--backup-retention-days", args.backup_retention_days, 1, MAX_RETENTION_DAYS, "days")
    in_range("--growth-gb-per-month", args.growth_gb_per_month, 0, MAX_GROWTH_GB)
    tables = describe_tables(ctx.aws, ctx.config.tables or None)
    total_bytes = sum(table.size_bytes for table in tables)
    rows = compare_strategies(
        total_bytes, args.growth_gb_per_month, args.backup_retention_days, args.months
    )
    if args.json:
        document = {
            "tables": {table.name: table.size_bytes for table in tables},
            "backup_retention_days": args.backup_retention_days,
            "growth_gb_per_month": args.growth_gb_per_month,
            "months": [month_json(row) for row in rows],
        }
        print(json.dumps(document, indent=2), file=ctx.out)
        return 0
    names = ", ".join(f"{t.name} {human_bytes(t.size_bytes)}" for t in tables) or "no tables"
    print(f"Tables: {names}", file=ctx.out)
    print(
        f"PITR at $0.20/GB-month vs daily backups kept {args.backup_retention_days} days at "
        "$0.10/GB-month; a restore costs $0.15/GB either way.",
        file=ctx.out,
    )
    table_rows = [
        [str(r.month), f"{r.size_gb:.3f}", dollars(r.pitr), dollars(r.backups),
         dollars(r.restore), r.cheaper]
        for r in rows
    ]  # fmt: skip
    headers = ["MONTH", "SIZE-GB", "PITR/MO", "BACKUPS/MO", "ONE-RESTORE", "CHEAPER"]
    print(text_table(headers, table_rows), file=ctx.out)
    return 0


def month_json(row: CostMonth) -> dict[str, object]:
    return {
        "month": row.month,
        "size_gb": round(row.size_gb, 6),
        "pitr_usd": round(row.pitr, 6),
        "backups_usd": round(row.backups, 6),
        "restore_usd": round(row.restore, 6),
        "cheaper": row.cheaper,
    }
