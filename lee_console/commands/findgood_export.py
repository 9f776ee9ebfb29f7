"""`find-good --via export` (the default where exports are possible): incremental exports over
the whole PITR window (24 hours each, started together) find the first damaging write without a
single probe restore; the last good second is the one before it. The plan states the cost and
the expected time of both strategies before it starts. Where exports are not possible (no
bucket, no permission) `--via restore` searches with probe restores."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

from lee_console.aws.damage import export_periods, find_damage_by_exports
from lee_console.aws.tables import describe_pitr, describe_table_raw
from lee_console.commands.context import CommandContext
from lee_console.core.journal import Kind
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

EXIT_NO_DAMAGE = 0
RESTORE_PRICE_PER_GB = 0.15  # aws-facts.md, us-east-1
EXPORT_PRICE_PER_GB = 0.10  # incremental export, per GB of change data processed
PREFIX = "lee-console/find-good"


def plan_text(size_bytes: int, exports: int, probes: int) -> str:
    gigabytes = size_bytes / 2**30
    restores = RESTORE_PRICE_PER_GB * gigabytes * probes
    return (
        f"via export: {exports} incremental export(s) at once, billed per GB of change data "
        f"(at most ~${EXPORT_PRICE_PER_GB * gigabytes * exports:,.2f} if each period changed the "
        "whole table, with a minimum per export), minutes in AWS, no capacity read; via restore: "
        f"{probes} probe restore(s) of {gigabytes:,.2f} GB (${restores:,.2f}), "
        "20-40 min each in AWS"
    )


def run_via_export(
    args: argparse.Namespace, ctx: CommandContext, table: str, rules: RuleSet, probes: int
) -> int:
    aws = ctx.aws
    now = datetime.now(UTC)
    window = describe_pitr(aws, table)
    # the window's start moves with the clock: a minute in, it is still inside when exported
    since = (window.earliest or now).replace(microsecond=0) + timedelta(minutes=1)
    periods = export_periods(aws, table, since, now)
    size = int(describe_table_raw(aws, table).get("TableSizeBytes", 0))
    ctx.say(
        f"Searching {table} from {format_utc(since)} to {format_utc(now)} for the first "
        "damaging write with incremental exports; no probe table is restored."
    )
    ctx.say(f"Plan: {plan_text(size, len(periods), probes)}.")
    report = find_damage_by_exports(aws, table, periods, rules, args.bucket, PREFIX, ctx.say, now)
    first = report.first_damage
    result = {
        "table": table,
        "via": "export",
        "exports": len(report.exports),
        "probe_restores": 0,
        "first_damaging_write": format_utc(first) if first else None,
        "last_good": format_utc(first.replace(microsecond=0) - timedelta(seconds=1))
        if first
        else None,
        "damaged": report.counts.get("damaged", 0),
    }
    if ctx.journal is not None:
        ctx.journal.append(
            Kind.DECISION,
            text=f"find-good {table} via export: first damaging write "
            f"{result['first_damaging_write']}",
        )
    if args.json:
        print(json.dumps(result, indent=2), file=ctx.out)
    elif first is None:
        print(f"No damaging write in {table}'s window: every second of it is good.", file=ctx.out)
    else:
        print(
            f"Last good second: {result['last_good']} (the first damaging write is "
            f"{result['first_damaging_write']}, {report.counts.get('damaged', 0)} items damaged; "
            "an export keeps an item's last write in its 24 h period, so the damage may begin a "
            "little earlier).",
            file=ctx.out,
        )
    return EXIT_NO_DAMAGE
