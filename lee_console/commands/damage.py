"""`lee-console damage TABLE --since TIME [--until TIME] [--rules FILE] [--json]
[--bucket B] [--prefix P]`: every item changed in the period, from incremental exports (no
restore, no read of the live table), classified by the integrity rules: damaged, legitimate,
deleted, created; the first damaging write to the second; samples; counts per rule.

Exports write to S3 and are billed (per GB of change data processed): they are journaled like
every other change the console makes, and --read-only refuses them."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from lee_console.aws.damage import export_periods, find_damage_by_exports
from lee_console.commands.context import CommandContext
from lee_console.core.exports.damage import damage_text
from lee_console.core.journal import Kind
from lee_console.core.names import validate_table_name
from lee_console.core.timeparse import format_utc, parse_time
from lee_console.store.rules_file import load_rules_for

DEFAULT_BUCKET = "lee-pitr-exports"
EXIT_NONE = 0  # no damaging write in the period
EXIT_FOUND = 1  # damage found


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", metavar="TABLE")
    parser.add_argument("--since", metavar="TIME", required=True, help="start of the period")
    parser.add_argument("--until", metavar="TIME", help="its end (default: now)")
    parser.add_argument(
        "--rules", metavar="FILE", type=Path, help="a TOML rules file (default: shipped rules)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument(
        "--bucket",
        default=DEFAULT_BUCKET,
        metavar="B",
        help=f"S3 bucket (default {DEFAULT_BUCKET})",
    )
    parser.add_argument("--prefix", default="lee-console/damage", metavar="P", help="S3 prefix")
    parser.epilog = "Exit codes: 0 no damaging write found, 1 damage found, 2 error."


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    table = validate_table_name(args.table)
    now = datetime.now(UTC)
    since = parse_time(args.since, now)
    until = parse_time(args.until, now) if args.until else now
    rules = load_rules_for(table, args.rules)
    periods = export_periods(ctx.aws, table, since, until)
    if periods[0][0] != since or periods[-1][1] != until:
        ctx.say(
            f"AWS exports 15 minutes at least: the period is widened to "
            f"{format_utc(periods[0][0])} -> {format_utc(periods[-1][1])}."
        )
    ctx.say(
        f"{len(periods)} incremental export(s) of {table} ({format_utc(periods[0][0])} -> "
        f"{format_utc(periods[-1][1])}); AWS bills $0.10 per GB of change data processed, with "
        "a minimum per export; the table's capacity is not read."
    )
    report = find_damage_by_exports(
        ctx.aws, table, periods, rules, args.bucket, args.prefix, ctx.say, now
    )
    if ctx.journal is not None:
        ctx.journal.append(
            Kind.DECISION,
            text=f"damage {table}: {report.counts.get('damaged', 0)} damaged items, first "
            f"damaging write {format_utc(report.first_damage) if report.first_damage else 'none'}",
        )
    if args.json:
        print(json.dumps(report.to_json(), indent=2), file=ctx.out)
    else:
        print(damage_text(report), file=ctx.out)
    return EXIT_FOUND if report.first_damage is not None else EXIT_NONE
