"""`lee-console find-good TABLE [--rules FILE] [--precision 1m] [--parallel K | --probe-budget N]
[--yes] [--json] [--cleanup-only]`: find the last good point of TABLE's PITR window.

Restores probe tables (TABLE-probe-YYYYMMDDTHHMMSSZ) at points of the window, checks each with
the integrity rules (a full scan) and deletes it, narrowing the window until it is within
--precision: K probes per round, run in parallel, split it into K + 1 parts, so about
ceil(log_(K+1)(window / precision)) rounds. By default K is chosen for the fewest rounds within
--probe-budget probes in all and the restores free of AWS's 50 (35 days at 1 min: 3 rounds of
36), then the fewest probes; --parallel K overrides it. Assumes monotone damage: once the
table is bad it stays bad. The plan (rounds, probes, cost at $0.15/GB and expected time, beside
the same for --parallel 1) is said first; probe restores are polled from the expected restore
time; a terminal asks to go on, headless needs --yes. Each probe is shown on
stderr and journaled; no probe table is left behind (Ctrl-C, or SIGHUP from a dropped SSH
session, stops after the running probes and deletes them; a second Ctrl-C leaves them and says
which). The result goes to stdout. Probes a killed run left (SIGKILL: no cleanup can run) are
named by the next run of TABLE, which deletes them first with --yes and otherwise refuses to
start; --cleanup-only deletes them and searches nothing (commands/probe_cleanup.py).

Exit codes: 0 a last good point found (--cleanup-only: no leftover probe remains), 1 every
probe had violations (no good point in the window), 2 error or refused, 130 interrupted (Ctrl-C
or SIGHUP).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from lee_console.aws.findgood import estimate_search, find_good_point, restores_in_flight
from lee_console.aws.probe_tables import DEFAULT_POLL_SECONDS
from lee_console.aws.readonly import refusal
from lee_console.commands.context import CommandContext
from lee_console.commands.export_bucket import export_bucket
from lee_console.commands.formatting import text_table
from lee_console.commands.probe_cleanup import cleanup_only, clear_before_search
from lee_console.commands.repair import rules_line, run_in_worker
from lee_console.core.errors import InvalidInput
from lee_console.core.findgood import SearchResult, check_parallel, parse_precision
from lee_console.core.findgood_plan import DEFAULT_PROBE_BUDGET, SearchEstimate
from lee_console.core.names import validate_table_name
from lee_console.core.timeparse import format_utc
from lee_console.store.rules_file import load_rules_for

EXIT_NO_GOOD_POINT = 1
EXIT_INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", metavar="TABLE", help="the table whose window to search")
    parser.add_argument(
        "--rules", metavar="FILE", type=Path, help="a TOML rules file (default: shipped rules)"
    )
    parser.add_argument(
        "--precision", default="1m", metavar="D", help="stop within this much (30s, 1m, 1h)"
    )
    parser.add_argument(
        "--parallel",
        type=int,
        metavar="K",
        help="probes per round (default: the fewest rounds within --probe-budget and the 50 "
        "concurrent restores AWS allows, then the fewest probes)",
    )
    parser.add_argument(
        "--probe-budget",
        type=int,
        default=DEFAULT_PROBE_BUDGET,
        metavar="N",
        help=f"probe restores in all when K is chosen (default {DEFAULT_PROBE_BUDGET})",
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="start without asking (and first delete probe tables a killed run left)",
    )
    parser.add_argument(
        "--cleanup-only",
        action="store_true",
        help="only delete the probe tables of TABLE that a killed find-good run left",
    )
    parser.add_argument("--json", action="store_true", help="the result as JSON on stdout")
    parser.add_argument(
        "--via",
        choices=["export", "restore"],
        help="incremental exports of the window (no probe restore; the default where a bucket "
        "is known) or probe restores",
    )
    parser.add_argument(
        "--bucket", metavar="B", help="S3 bucket for --via export (default: export_bucket in the "
        "config file)",
    )  # fmt: skip
    parser.add_argument("--poll-seconds", type=float, help=argparse.SUPPRESS)  # default: adaptive
    parser.epilog = (
        "Assumes monotone damage: once the table is bad it stays bad (a probe found good after "
        "a bad one is reported as a warning). Probes are restores named TABLE-probe-<point>, "
        "each deleted after its check; probes a killed run left are named on the next run and "
        "deleted with --yes (or --cleanup-only --yes). SIGHUP (a dropped SSH session) stops the "
        "search like Ctrl-C and deletes its probes. Exit codes: 0 last good point found "
        "(--cleanup-only: none left), 1 no good point in the window, 2 error or refused, 130 "
        "interrupted (Ctrl-C or SIGHUP)."
    )


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    table = validate_table_name(args.table)
    precision = parse_precision(args.precision)
    poll = args.poll_seconds or DEFAULT_POLL_SECONDS  # waiting for leftovers to go
    if args.cleanup_only:
        return cleanup_only(ctx, table, args.yes, poll)
    if ctx.config.read_only:
        raise refusal(f"Not searching {table}'s window (find-good restores probe tables)", "")
    rules = load_rules_for(table, args.rules)
    if rules.empty:
        raise InvalidInput(
            f"No integrity rules for {table}: find-good needs them to tell a good restore "
            "from a bad one; pass --rules FILE."
        )
    if args.parallel is not None:  # refused before --yes deletes any leftover probe
        check_parallel(args.parallel, 0)
    if args.probe_budget < 1:
        raise InvalidInput("--probe-budget takes 1 or more probes.")
    from lee_console.commands.findgood_export import choose_via, run_via_export

    via, bucket = choose_via(args, ctx)
    if via == "export":
        bucket = export_bucket(
            bucket, ctx, f"find-good --via export exports the changes of {table}"
        )
        estimate = estimate_search(ctx.aws, table, precision, args.parallel, args.probe_budget)[0]
        return run_via_export(args, ctx, table, rules, estimate, bucket)
    aws = ctx.aws
    clear_before_search(ctx, table, args.yes, poll)
    running = restores_in_flight(aws)
    if args.parallel is not None:
        check_parallel(args.parallel, running)
    estimate, earliest, latest = estimate_search(
        aws, table, precision, args.parallel, args.probe_budget, running
    )
    ctx.say(
        f"Searching {table} from {format_utc(earliest)} to {format_utc(latest)} to within "
        f"{args.precision} ({rules_line(rules)}); assumes the damage, once begun, stays."
    )
    for line in estimate.plan_lines():
        ctx.say(line)
    if not args.yes:
        confirm(f"Start up to {estimate.restores} probe restore(s) of {table}")
    result, interrupted = run_in_worker(
        ctx,
        lambda cancelled, abandon: find_good_point(
            aws,
            table,
            rules,
            precision=precision,
            parallel=estimate.probes_per_round,
            adaptive=estimate.adaptive,
            restore_seconds=estimate.restore_seconds,
            window=(earliest, latest),
            on_probe=lambda update: say_from_thread(ctx, update.line()),
            cancelled=cancelled,
            abandon=abandon,
            poll_seconds=args.poll_seconds,
        ),
        "Stopping after the running probes and deleting them (Ctrl-C again to leave them).",
        "Leaving the probe tables that are not deleted yet; they are listed below.",
    )
    show(ctx, result, args.json, estimate)
    if interrupted or not result.complete:
        return EXIT_INTERRUPTED
    return EXIT_NO_GOOD_POINT if result.last_good is None else 0


_SAY = threading.Lock()


def say_from_thread(ctx: CommandContext, message: str) -> None:
    """One whole line on stderr: probes report from several threads at once."""
    with _SAY:
        ctx.err.write(message + "\n")
        ctx.err.flush()


def confirm(what: str) -> None:
    if not sys.stdin.isatty():
        raise InvalidInput(f"Not starting: {what[0].lower()}{what[1:]}? Pass --yes to confirm.")
    answer = input(f"{what}? [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise InvalidInput("Not started: the search was not confirmed.")


def show(
    ctx: CommandContext, result: SearchResult, as_json: bool, plan: SearchEstimate | None = None
) -> None:
    if as_json:
        data = result.to_json() | ({"plan": plan.to_json()} if plan is not None else {})
        print(json.dumps(data, indent=2), file=ctx.out)
    else:
        rows = [
            [
                str(p.round),
                format_utc(p.point),
                {True: "good", False: "BAD", None: "-"}[p.good],
                "-" if p.violations is None else str(p.violations),
                {True: "yes", False: "NO", None: "-"}[p.deleted],
            ]
            for p in result.probes
        ]
        if rows:
            headers = ["ROUND", "POINT", "VERDICT", "VIOLATING", "DELETED"]
            print(text_table(headers, rows), file=ctx.out)
        print(result.describe(), file=ctx.out)
    ctx.say(
        f"{result.rounds} round(s), {len(result.probes)} probe(s) (bound: {result.max_rounds} "
        "rounds)."
    )
    if result.non_monotone:
        ctx.say("Warning: a probe was good after a bad one: the damage is not monotone.")
    if result.left_behind:
        ctx.say(f"Probe tables NOT deleted: {', '.join(result.left_behind)}.")
