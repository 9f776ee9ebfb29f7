"""`lee-console backup create|list|cleanup`.

Deleting backups is destructive (DESIGN.md's safety model): a real cleanup needs the table's
name typed at the prompt, or ``--confirm TABLE`` headless; ``--dry-run`` needs neither."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from lee_console.aws.backups import (
    create_backup,
    delete_backup,
    expired_user_backups,
    list_backups,
)
from lee_console.aws.tables import describe_table_raw, table_exists
from lee_console.commands.context import CommandContext
from lee_console.commands.formatting import human_bytes, text_table
from lee_console.core.errors import TableNotFound
from lee_console.core.names import validate_table_name
from lee_console.core.numbers import in_range
from lee_console.core.repoint import check_confirmation
from lee_console.core.timeparse import format_utc
from lee_console.core.views import BackupSummary

MAX_RETENTION_DAYS = 36500  # a hundred years: beyond it the cutoff falls before year 1


def add_arguments(
    parser: argparse.ArgumentParser, parents: Sequence[argparse.ArgumentParser] = ()
) -> None:
    """``parents`` carry the global AWS flags down to each action (`backup list --region R`)."""
    actions = parser.add_subparsers(dest="backup_action", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create", help="create an on-demand backup of TABLE", parents=list(parents)
    )
    create.add_argument("table", metavar="TABLE")
    listing = actions.add_parser(
        "list", help="list backups (USER and SYSTEM)", parents=list(parents)
    )
    listing.add_argument("table", metavar="TABLE", nargs="?")
    listing.add_argument("--json", action="store_true")
    cleanup = actions.add_parser(
        "cleanup", help="delete USER backups older than the retention", parents=list(parents)
    )
    cleanup.add_argument("table", metavar="TABLE")
    cleanup.add_argument("--retention-days", type=int, required=True, metavar="N")
    cleanup.add_argument("--dry-run", action="store_true", help="say what would go, delete nothing")
    cleanup.add_argument(
        "--confirm", metavar="TABLE", help="type TABLE's name here to confirm without a prompt"
    )


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.backup_action == "create":
        table = validate_table_name(args.table)
        describe_table_raw(ctx.aws, table)
        backup = create_backup(ctx.aws, table, ctx.now())
        print(json.dumps(backup.to_json(), indent=2), file=ctx.out)
        ctx.say(f"Created backup {backup.name} of {table}.")
        return 0
    if args.backup_action == "list":
        only = validate_table_name(args.table) if args.table is not None else None
        backups = list_backups(ctx.aws, only)
        if args.json:
            print(json.dumps([b.to_json() for b in backups], indent=2), file=ctx.out)
        elif backups:
            rows = [
                [b.table, b.name, b.backup_type, b.status, format_utc(b.created),
                 human_bytes(b.size_bytes), b.arn]
                for b in backups
            ]  # fmt: skip
            headers = ["TABLE", "NAME", "TYPE", "STATUS", "CREATED", "SIZE", "ARN"]
            print(text_table(headers, rows), file=ctx.out)
        else:
            ctx.say("No backups.")
        return 0
    return cleanup(args, ctx)


def cleanup(args: argparse.Namespace, ctx: CommandContext) -> int:
    table = validate_table_name(args.table)
    in_range("--retention-days", args.retention_days, 1, MAX_RETENTION_DAYS, "days")
    backups = list_backups(ctx.aws, table)
    if not backups and not table_exists(ctx.aws, table):
        raise TableNotFound(
            f"No table {table} and no backup of it in this account and region: check the name "
            "(`lee-console backup list` shows every backup)."
        )
    expired = expired_user_backups(backups, args.retention_days, ctx.now())
    if not expired:
        ctx.say(f"No USER backups of {table} are older than {args.retention_days} days.")
        return 0
    if not args.dry_run:
        days = args.retention_days
        what = f"deleting {len(expired)} USER backup(s) of {table} older than {days} days"
        typed = args.confirm if args.confirm is not None else prompt(ctx, table, what, expired)
        check_confirmation(typed, table, what)
    verb = "Would delete" if args.dry_run else "Deleted"
    for backup in expired:
        if not args.dry_run:
            delete_backup(ctx.aws, backup.arn)
        print(f"{verb} {backup.name} ({format_utc(backup.created)}) {backup.arn}", file=ctx.out)
    ctx.say(f"{verb} {len(expired)} USER backups of {table}; SYSTEM backups are never touched.")
    return 0


def prompt(ctx: CommandContext, table: str, what: str, backups: list[BackupSummary]) -> str | None:
    """The table's name typed at a terminal, after the backups that would go; None headless."""
    if not sys.stdin.isatty():
        return None
    for backup in backups:
        ctx.say(f"  {backup.name} ({format_utc(backup.created)}) {backup.arn}")
    return input(f"{what[0].upper()}{what[1:]}. Type {table} to confirm: ")
