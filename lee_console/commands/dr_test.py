"""`lee-console dr-test TABLE [--at TIME | --random-days A-B] [--rules FILE] [--json] [--keep]`:
the decision record's quarterly restore test.

Restores TABLE at the point given (--at), a random second between A and B days ago
(--random-days, clipped to the window) or a random second of the window (default) into a
scratch table TABLE-drtest-YYYYMMDDTHHMMSSZ, times the restore, counts and checks the items
with the integrity rules (the same engine and default rules as `verify`), compares the count
with an on-demand backup's near that time when there is one ("unknown" otherwise), deletes the
scratch table (also on failure, error, Ctrl-C, SIGTERM or SIGHUP; not with --keep), and saves
the result (JSON) and report (Markdown) in the data dir (store/dr_tests.py) with the trend of
the table's restore durations. No prompt: it creates a table and deletes only that one.
Scratch tables of a killed run (SIGKILL) are found by the next run of TABLE, named and
deleted first. Progress on stderr; the result on stdout (JSON with --json).

Exit codes: 0 passed, 1 failed (rule violations, or a count that differs from a backup taken
at the restore point), 2 error or refused, 130 interrupted (the scratch table deleted first).
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType

from lee_console.aws.drtest import DrTestRun, read_source
from lee_console.aws.probe_tables import DEFAULT_POLL_SECONDS
from lee_console.aws.readonly import refusal
from lee_console.commands.context import CommandContext
from lee_console.commands.drtest_leftovers import clear_leftovers
from lee_console.commands.own_journal import DRTEST, close_own_journal, use_own_journal
from lee_console.commands.repair import run_in_worker
from lee_console.commands.verify import rules_line
from lee_console.core.drtest.point import choose_point, describe_choice, parse_random_days
from lee_console.core.drtest.render import markdown, summary
from lee_console.core.drtest.result import DrTestResult
from lee_console.core.drtest.trend import trend
from lee_console.core.names import validate_table_name
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import parse_time
from lee_console.store import dr_tests
from lee_console.store.rules_file import load_rules_for

EXIT_PASSED = 0
EXIT_FAILED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", metavar="TABLE", help="the table whose restore to test")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--at", metavar="TIME", help="restore to this second of the window")
    when.add_argument(
        "--random-days",
        metavar="A-B",
        help="a random second between A and B days ago (e.g. 1-30), clipped to the window "
        "(default: a random second of the whole window)",
    )
    parser.add_argument(
        "--rules", metavar="FILE", type=Path, help="a TOML rules file (default: shipped rules)"
    )
    parser.add_argument("--json", action="store_true", help="the result as JSON on stdout")
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch table (delete it yourself)"
    )
    parser.add_argument(
        "--poll-seconds", type=float, default=DEFAULT_POLL_SECONDS, help=argparse.SUPPRESS
    )
    parser.epilog = (
        "The scratch table is TABLE-drtest-<UTC start>; it is deleted at the end, also on "
        "failure, Ctrl-C, SIGTERM or SIGHUP (unless --keep), and one a killed run left is "
        "deleted by the next run. Reports and history: the data dir's dr-tests/TABLE/. Exit "
        "codes: 0 passed, 1 failed, 2 error or refused, 130 interrupted."
    )


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    table = validate_table_name(args.table)
    days = parse_random_days(args.random_days) if args.random_days is not None else None
    at = parse_time(args.at, ctx.now()) if args.at is not None else None
    if ctx.config.read_only:
        raise refusal(f"Not testing a restore of {table} (dr-test restores a scratch table)", "")
    rules = load_rules_for(table, args.rules)
    journal, own = use_own_journal(ctx, DRTEST)
    try:
        return _test(args, ctx, table, days, at, rules)
    finally:
        close_own_journal(journal, own, f"dr-test of {table} ended.")


def _test(
    args: argparse.Namespace,
    ctx: CommandContext,
    table: str,
    days: tuple[int, int] | None,
    at: datetime | None,
    rules: RuleSet,
) -> int:
    aws = ctx.aws
    source = read_source(aws, table)
    choice = choose_point(source.window, table, ctx.now(), at=at, days=days)
    clear_leftovers(ctx, table)
    ctx.say(f"DR test of {table}: restore point {describe_choice(choice)}; {rules_line(rules)}.")
    test = DrTestRun(
        aws, source, choice, rules, rules_line(rules), ctx.say, keep=args.keep,
        poll_seconds=args.poll_seconds,
    )  # fmt: skip

    def work(cancelled: threading.Event, abandon: threading.Event) -> DrTestResult:
        test.cancelled, test.abandon = cancelled, abandon
        return test.run()

    with terminate_as_interrupt():
        result, _ = run_in_worker(
            ctx,
            work,
            "Interrupted: deleting the scratch table before leaving (Ctrl-C again to leave it).",
            "Leaving the scratch table; the next dr-test of this table deletes it.",
        )
    history = trend([*dr_tests.history(table), result])
    report = markdown(result, history)
    path = dr_tests.save_result(result, report)
    if args.json:
        print(json.dumps({**result.to_json(), "report": str(path),
                          "trend": history.summary()}, indent=2), file=ctx.out)  # fmt: skip
    else:
        print(summary(result, history), file=ctx.out)
    ctx.say(f"Report: {path}")
    return EXIT_PASSED if result.passed else EXIT_FAILED


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI job cancelled, a cron timeout) stops the test as Ctrl-C does: the scratch
    table is deleted before the exit (130). Main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
