"""`lee-console enable-pitr`: turn PITR on, table by table, and report each."""

from __future__ import annotations

import argparse
import sys

from lee_console.aws.pitr_admin import enable_pitr
from lee_console.aws.readonly import refusal
from lee_console.aws.tables import describe_pitr, describe_table_raw, list_table_names
from lee_console.commands.context import CommandContext
from lee_console.core.errors import InvalidInput, LeeError
from lee_console.core.names import validate_table_name
from lee_console.core.numbers import in_range


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every table in the account")
    which.add_argument("table", nargs="*", default=[], metavar="TABLE")
    parser.add_argument(
        "--recovery-period-days", type=int, metavar="N", help="1-35 days (AWS default 35)"
    )
    parser.add_argument(
        "--confirm",
        action="append",
        default=[],
        metavar="TABLE",
        help="lowering a recovery period deletes history at once: name each such table here",
    )


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.all:
        tables = list_table_names(ctx.aws)
    elif args.table:
        tables = [validate_table_name(name) for name in args.table]
    else:
        raise InvalidInput("Name the tables to enable PITR on, or pass --all.")
    if args.recovery_period_days is not None:
        in_range("--recovery-period-days", args.recovery_period_days, 1, 35, "days")
    if ctx.config.read_only:  # one line for all the tables, not one refusal per table
        raise refusal(f"Not enabling PITR on {tables_named(tables)}")
    for table in tables:  # an unknown table or an unconfirmed lowering: nothing is sent
        describe_table_raw(ctx.aws, table)
        check_lowering(ctx, table, args.recovery_period_days, args.confirm)
    failures = 0
    for table in tables:
        try:
            window = enable_pitr(ctx.aws, table, args.recovery_period_days)
            period = window.recovery_period_days or 35
            print(f"[ok] {table}: PITR enabled, recovery period {period} days", file=ctx.out)
        except LeeError as error:
            failures += 1
            print(f"[x] {table}: {error.message}", file=ctx.out)
    if failures:
        ctx.say(f"PITR could not be enabled on {failures} of {len(tables)} tables.")
        return 2
    return 0


def tables_named(tables: list[str]) -> str:
    if len(tables) == 1:
        return tables[0]
    shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
    return f"{len(tables)} tables ({shown})"


def check_lowering(
    ctx: CommandContext, table: str, new_days: int | None, confirmed: list[str]
) -> None:
    """Lowering the recovery period drops older history at once: a destructive change."""
    if new_days is None:
        return
    current = describe_pitr(ctx.aws, table)
    if not current.enabled or (current.recovery_period_days or 35) <= new_days:
        return
    if table in confirmed:
        return
    if sys.stdin.isatty():
        typed = input(
            f"Lowering {table}'s recovery period from {current.recovery_period_days} to "
            f"{new_days} days deletes the older history now. Type the table name to confirm: "
        )
        if typed.strip() == table:
            return
    raise InvalidInput(
        f"Not lowering {table}'s recovery period ({current.recovery_period_days} -> {new_days} "
        f"days) without confirmation: pass --confirm {table}."
    )
