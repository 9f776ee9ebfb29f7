"""`find-good --via export` (the default where exports are possible): incremental exports over
the whole PITR window (24 hours each, started together) find the first damaging write without a
single probe restore; the last good second is the one before it. The plan states the cost and
the expected time of both strategies before it starts. Where exports are not possible (no
bucket, a window under 15 minutes) the probe-restore search runs instead, said in one line; an
export AWS refuses (no permission) names `--via restore`."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

from lee_console.aws.damage import find_damage_by_exports, plan_exports
from lee_console.commands.context import CommandContext
from lee_console.core.errors import AccessDenied
from lee_console.core.findgood_plan import SearchEstimate
from lee_console.core.journal import Kind
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

EXIT_NO_DAMAGE = 0
PREFIX = "lee-console/find-good"
EXPORT_TIME = "minutes in AWS (exports read no capacity; AWS publishes no duration model)"


def choose_via(args: argparse.Namespace, ctx: CommandContext) -> tuple[str, str | None]:
    """export or restore, and the bucket: --via as given; by default export where a bucket is
    known (--bucket or export_bucket), else restore, said in one line."""
    bucket = args.bucket if args.bucket is not None else ctx.config.export_bucket
    if args.via is not None:
        return args.via, bucket
    if bucket is None:
        ctx.say(
            "No S3 bucket for exports (--bucket B or export_bucket in the config file): "
            "searching with probe restores (--via restore)."
        )
        return "restore", None
    return "export", bucket


def plan_lines(estimate: SearchEstimate, exports: int, table_bytes: int) -> list[str]:
    """Both strategies, cost and time, before either starts."""
    from lee_console.core.exports.cost import ExportCost

    cost = ExportCost(exports, table_bytes)
    restore = estimate.describe()
    return [
        f"Plan via export (this run): {exports} incremental export(s) at once, estimated "
        f"{cost.text()}; {EXPORT_TIME}; 0 probe restores.",
        f"Plan via restore (--via restore): {restore}.",
    ]


def run_via_export(
    args: argparse.Namespace,
    ctx: CommandContext,
    table: str,
    rules: RuleSet,
    estimate: SearchEstimate,
    bucket: str,
) -> int:
    aws = ctx.aws
    now = datetime.now(UTC)
    from lee_console.aws.tables import describe_pitr

    window = describe_pitr(aws, table)
    # the window's start moves with the clock: a minute in, it is still inside when exported
    since = (window.earliest or now).replace(microsecond=0) + timedelta(minutes=1)
    plan = plan_exports(aws, table, since, now)
    ctx.say(
        f"Searching {table} from {format_utc(since)} to {format_utc(now)} for the first "
        "damaging write with incremental exports; no probe table is restored."
    )
    for line in plan_lines(estimate, len(plan.periods), plan.table_bytes):
        ctx.say(line)
    try:
        report = find_damage_by_exports(
            aws, table, plan.periods, rules, bucket, PREFIX, ctx.say, now
        )
    except AccessDenied as error:
        raise AccessDenied(
            f"{error} Without permission to export, `lee-console find-good {table} --via "
            "restore` searches with probe restores."
        ) from None
    first = report.first_damage
    last_good = first.replace(microsecond=0) - timedelta(seconds=1) if first else None
    result = {
        "table": table,
        "via": "export",
        "exports": len(report.exports),
        "probe_restores": 0,
        "first_damaging_write": format_utc(first) if first else None,
        "last_good": format_utc(last_good) if last_good else None,
        "damaged": report.counts.get("damaged", 0),
        "plan": {"export": plan.cost.to_json(), "restore": estimate.to_json()},
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
