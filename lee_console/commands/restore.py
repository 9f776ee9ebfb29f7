"""`lee-console restore`: start a restore, wait with progress on stderr, print the result as
JSON on stdout. A rerun after the run was killed follows the restore it started, and
`--reattach` follows any unfinished restore of the table (commands/restore_reattach.py)."""

from __future__ import annotations

import argparse
import json
import re
import time
from datetime import datetime, timedelta

from lee_console.aws.items import count_items
from lee_console.aws.restore import (
    DEFAULT_DEADLINE_SECONDS,
    describe_backup,
    find_deleted_table_backup,
    start_restore,
    wait_for_restore,
)
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_pitr, describe_table_raw
from lee_console.commands import restore_reattach
from lee_console.commands.context import CommandContext
from lee_console.core.errors import InvalidInput
from lee_console.core.journal import Kind
from lee_console.core.names import default_restore_target, validate_table_name
from lee_console.core.numbers import positive
from lee_console.core.report.fold import fold_incident
from lee_console.core.restore import (
    RestoreKind,
    RestoreRequest,
    RestoreResult,
    finished_event,
    started_event,
)
from lee_console.core.timeparse import ACCEPTED_FORMS, format_utc, parse_time_detailed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", metavar="TABLE", help="the source table")
    point = parser.add_mutually_exclusive_group()
    point.add_argument("--at", metavar="TIME", help=f"restore point: {ACCEPTED_FORMS}")
    point.add_argument("--latest", action="store_true", help="the latest restorable time")
    point.add_argument("--backup", metavar="ARN", help="restore an on-demand backup")
    point.add_argument(
        "--deleted", action="store_true", help="restore a deleted table from its SYSTEM backup"
    )
    point.add_argument(
        "--reattach",
        action="store_true",
        help="follow a restore of TABLE started earlier (by a run killed before its end, or "
        "elsewhere) to ACTIVE, and journal it; --target picks one of several",
    )
    parser.add_argument(
        "--target", metavar="NAME", help="new table name (default TABLE-restored-<restore point>)"
    )
    parser.add_argument(
        "--billing-mode", choices=["PAY_PER_REQUEST", "PROVISIONED"], help="override billing"
    )
    parser.add_argument("--no-wait", action="store_true", help="start the restore and return")
    parser.add_argument(
        "--exact-count",
        action="store_true",
        help="count the restored items with a scan (default: DescribeTable's ItemCount)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_DEADLINE_SECONDS / 60,
        metavar="MINUTES",
        help="stop waiting after this long; the restore goes on in AWS (default 360)",
    )
    parser.add_argument(
        "--poll-seconds", type=float, default=10.0, metavar="S", help=argparse.SUPPRESS
    )


BACKUP_ARN = re.compile(
    r"^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/[A-Za-z0-9_.-]+/backup/\S+$"
)


def check_arguments(args: argparse.Namespace) -> None:
    """Every argument checked before anything is sent."""
    validate_table_name(args.table)
    if args.target is not None:
        validate_table_name(args.target)
    if args.backup is not None and not BACKUP_ARN.match(args.backup):
        raise InvalidInput(
            f"--backup needs a backup ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/backup/"
            f"ID, as `lee-console backup list` prints), not {args.backup!r}."
        )
    positive("--timeout", args.timeout, 7 * 24 * 60, "minutes")
    positive("--poll-seconds", args.poll_seconds, 3600, "seconds")


def build_request(args: argparse.Namespace, ctx: CommandContext) -> RestoreRequest:
    check_arguments(args)
    aws = ctx.aws
    source = validate_table_name(args.table)
    if args.deleted or args.backup:
        kind = RestoreKind.DELETED if args.deleted else RestoreKind.BACKUP
        if args.deleted:
            summary = find_deleted_table_backup(aws, source)
            arn, created = summary["BackupArn"], summary["BackupCreationDateTime"]
        else:
            details = describe_backup(aws, args.backup)["BackupDetails"]
            arn, created = args.backup, details["BackupCreationDateTime"]
        return RestoreRequest(
            kind=kind,
            source_table=source,
            target_table=args.target or default_restore_target(source, created),
            restore_point=created,
            backup_arn=arn,
            billing_mode=args.billing_mode,
        )
    describe_table_raw(aws, source)  # an unknown table fails here, with its own message
    window = describe_pitr(aws, source)
    if args.latest:
        # The latest restorable second, read now and sent as RestoreDateTime, so the target's
        # name and the reported restore point are the second actually restored.
        point = window.latest or ctx.now()
        window.check_restorable(source, point)
        kind = RestoreKind.POINT_IN_TIME
    elif args.at is None:
        point = second_before_damage(ctx, source)
        window.check_restorable(source, point)
        kind = RestoreKind.POINT_IN_TIME
    else:
        point, assumed_utc = parse_time_detailed(args.at, ctx.now())
        window.check_restorable(source, point)
        if assumed_utc:  # said only once the time is usable: an error stays one line
            ctx.say(f"No zone given in {args.at!r}: read as UTC ({format_utc(point)}).")
        kind = RestoreKind.POINT_IN_TIME
    return RestoreRequest(
        kind=kind,
        source_table=source,
        target_table=args.target or default_restore_target(source, point),
        restore_point=point,
        billing_mode=args.billing_mode,
    )


def second_before_damage(ctx: CommandContext, source: str) -> datetime:
    """Without --at: the second before the incident's declared damage start (a restore point a
    minute earlier would lose every legitimate write of that minute)."""
    facts = fold_incident(ctx.journal.events()) if ctx.journal is not None else None
    if facts is None or facts.damage_start is None or facts.table not in (None, source):
        raise InvalidInput(
            "Say where to restore to: --at TIME, --latest, --backup ARN, --deleted or "
            "--reattach (or declare the incident's damage start: `lee-console incident declare "
            f"--table {source} --damage-start TIME`, and the second before it is the default)."
        )
    point = facts.damage_start.replace(microsecond=0) - timedelta(seconds=1)
    ctx.say(
        f"Restoring to {format_utc(point)}, the second before the declared damage start "
        f"{format_utc(facts.damage_start)} (--at chooses another point)."
    )
    return point


def warn_if_after_damage(ctx: CommandContext, request: RestoreRequest) -> None:
    """A point at or after the incident's declared damage start may restore the damage too:
    said as the restore starts (the report says it later, too late to choose again)."""
    facts = fold_incident(ctx.journal.events()) if ctx.journal is not None else None
    point = request.restore_point
    if facts is None or facts.damage_start is None or point is None:
        return
    if facts.table in (None, request.source_table) and point >= facts.damage_start:
        ctx.say(
            f"Note: {format_utc(point)} is not before the declared damage start "
            f"{format_utc(facts.damage_start)}: the restored table may hold the damage; verify "
            "it before any cutover."
        )


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.reattach:
        check_arguments(args)
        return restore_reattach.run_reattach(args, ctx)
    request = build_request(args, ctx)
    earlier = restore_reattach.earlier_restore(args, ctx, request)
    if earlier is not None and not args.no_wait:  # a rerun of a killed restore: follow it
        return restore_reattach.follow(args, ctx, earlier)
    if earlier is not None:
        ctx.say(f"Not waiting; `lee-console restore {request.source_table} --reattach` follows it.")
        return 0
    aws = ctx.aws
    journal = aws.journal
    started = time.monotonic()
    start_restore(aws, request)  # a refused restore leaves one line on stderr: the error
    ctx.say(f"Restoring {request.describe()}")
    warn_if_after_damage(ctx, request)
    if journal:
        journal.append(Kind.RESTORE_STARTED, **started_event(request))
    if args.no_wait:
        result = RestoreResult(
            request.source_table, request.target_table, request.restore_point, 0.0, None,
            "CREATING",
        )  # fmt: skip
        print(json.dumps(result.to_json(), indent=2), file=ctx.out)
        ctx.say("Not waiting; follow it with `lee-console status` or the console.")
        return 0
    wait_for_restore(
        aws,
        request.target_table,
        deadline_seconds=args.timeout * 60,
        poll_seconds=args.poll_seconds,
        on_progress=lambda progress: ctx.say(progress.line()),
        started=started,
    )
    result = finish(aws, request, time.monotonic() - started, args.exact_count)
    if journal:
        size = int(describe_table_raw(aws, request.target_table).get("TableSizeBytes", 0))
        journal.append(
            Kind.RESTORE_FINISHED,
            **finished_event(
                request, result.duration_seconds, result.item_count, size, args.exact_count
            ),
        )
    print(json.dumps(result.to_json(), indent=2), file=ctx.out)
    return 0


def finish(aws: Aws, request: RestoreRequest, duration: float, exact: bool) -> RestoreResult:
    """The restored table's item count: DescribeTable's ItemCount unless ``exact`` (a scan of
    the whole table: at 1M items it took 16 of a restore's 23 s in the sandbox)."""
    if exact:
        count = count_items(aws, request.target_table)
    else:
        count = int(describe_table_raw(aws, request.target_table).get("ItemCount", 0))
    return RestoreResult(
        source_table=request.source_table,
        target_table=request.target_table,
        restore_point=request.restore_point,
        duration_seconds=duration,
        item_count=count,
        status="ACTIVE",
        item_count_exact=exact,
    )
