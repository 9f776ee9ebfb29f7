"""`lee-console damage TABLE --since TIME [--until TIME] [--rules FILE] [--json]
[--bucket B] [--prefix P]`: every item changed in the period, from incremental exports (no
restore, no read of the live table), classified by the integrity rules: damaged, legitimate,
deleted, created; the first damaging write to the second; samples; counts per rule.

Exports write to S3 and are billed (per GB of change data processed): the cost estimate is said
before they start, they are journaled like every other change the console makes, and
--read-only refuses them."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from lee_console.aws.damage import ExportPlan, find_damage_by_exports, plan_exports
from lee_console.aws.readonly import refusal
from lee_console.commands.context import CommandContext
from lee_console.commands.export_bucket import export_bucket
from lee_console.core.errors import InvalidInput
from lee_console.core.exports.damage import damage_text
from lee_console.core.journal import Kind
from lee_console.core.names import validate_table_name
from lee_console.core.timeparse import format_utc, parse_time
from lee_console.store.rules_file import load_rules_for

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
        "--bucket", metavar="B", help="S3 bucket for the exports (default: export_bucket in the "
        "config file)",
    )  # fmt: skip
    parser.add_argument("--prefix", default="lee-console/damage", metavar="P", help="S3 prefix")
    parser.epilog = "Exit codes: 0 no damaging write found, 1 damage found, 2 error."


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    table = validate_table_name(args.table)
    now = datetime.now(UTC)
    since = parse_time(args.since, now)
    until = parse_time(args.until, now) if args.until else now
    if until > now:
        raise InvalidInput(f"--until {format_utc(until)} is in the future: exports end by now.")
    if until <= since:
        raise InvalidInput(f"--until {format_utc(until)} is not after --since {format_utc(since)}.")
    rules = load_rules_for(table, args.rules)
    if rules.empty:
        raise InvalidInput(
            f"No integrity rules for {table}: damage needs them to tell damaged items from "
            "legitimate changes; pass --rules FILE."
        )
    bucket = export_bucket(args.bucket, ctx, f"damage exports the changes of {table}")
    if ctx.config.read_only:
        raise refusal(f"Not exporting {table} (exports write to s3://{bucket})", "")
    plan = plan_exports(ctx.aws, table, since, until)
    say_plan(ctx, plan, since, until)
    report = find_damage_by_exports(
        ctx.aws, table, plan.periods, rules, bucket, args.prefix, ctx.say, now
    )
    if ctx.journal is not None:
        ctx.journal.append(
            Kind.DECISION,
            text=f"damage {table}: {report.counts.get('damaged', 0)} damaged items, first "
            f"damaging write {format_utc(report.first_damage) if report.first_damage else 'none'}",
        )
    if args.json:
        print(json.dumps(report.to_json() | {"cost": plan.cost.to_json()}, indent=2), file=ctx.out)
    else:
        print(damage_text(report), file=ctx.out)
    return EXIT_FOUND if report.first_damage is not None else EXIT_NONE


def say_plan(ctx: CommandContext, plan: ExportPlan, since: datetime, until: datetime) -> None:
    """Before any export starts: the periods (and how a short one was widened), the cost."""
    first, last = plan.periods[0][0], plan.periods[-1][1]
    if first != since or last != until:
        ctx.say(
            f"An incremental export covers 15 minutes at least: {format_utc(since)} -> "
            f"{format_utc(until)} is widened to {format_utc(first)} -> {format_utc(last)}."
        )
    ctx.say(
        f"{len(plan.periods)} incremental export(s) of {plan.table} ({format_utc(first)} -> "
        f"{format_utc(last)}), estimated {plan.cost.text()}; the table's capacity is not read."
    )
