"""`lee-console repair LIVE --from RESTORED [--rules FILE] [--dry-run] [--confirm LIVE]
[--restore-deleted] [--json]`: repair in place.

Writes back to LIVE only its damaged items (the restored item passes the integrity rules, the
live one breaks them), each conditional on the live item still being what the diff saw, so
the table name, the application and every legitimate later write stay as they are. Items
absent from LIVE but passing in RESTORED are only counted, unless --restore-deleted (a delete
after the restore point may be legitimate; core/repair.py). The counts come first; a dry run
stops there. A real run needs LIVE's name typed (or --confirm LIVE), shows progress per batch
on stderr, and journals every batch, so running the same command again after a kill resumes.

Exit codes: 0 repaired (or dry run, or nothing to repair), 1 done but some items were skipped
because they changed in the meantime, 2 error or refused, 130 interrupted (the rest is left;
run again to resume).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lee_console.aws.readonly import refusal
from lee_console.aws.repair import BATCH_SIZE, plan_repair, run_repair
from lee_console.aws.verify import comparable_keys
from lee_console.commands.context import CommandContext
from lee_console.commands.formatting import text_table
from lee_console.core.errors import InvalidInput
from lee_console.core.names import validate_table_name
from lee_console.core.repair import RepairPlan, RepairResult
from lee_console.core.repoint import check_confirmation
from lee_console.core.report.fold import fold_incident
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc
from lee_console.store.rules_file import load_rules_for

MAX_SEGMENTS = 64  # as verify

EXIT_SKIPPED = 1
EXIT_INTERRUPTED = 130
T = TypeVar("T")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("live", metavar="LIVE", help="the damaged table the application uses")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="restored", metavar="RESTORED", help="the restored table")
    source.add_argument(
        "--from-export",
        metavar="EXPORT",
        help="a `damage --json` result file (or incremental export ARNs, comma-separated): "
        "write back each damaged item's image at the damage start, no restore needed",
    )
    parser.add_argument(
        "--rules", metavar="FILE", type=Path, help="a TOML rules file (default: shipped rules)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the counts, change nothing")
    parser.add_argument(
        "--confirm", metavar="LIVE", help="type LIVE's table name here to confirm without a prompt"
    )
    parser.add_argument(
        "--restore-deleted",
        action="store_true",
        help="also write back items absent from LIVE that pass the rules in RESTORED "
        "(default: only count them; a delete after the restore point may be legitimate)",
    )
    parser.add_argument("--json", action="store_true", help="JSON on stdout")
    parser.add_argument(
        "--bucket", metavar="B", help="S3 bucket for --from-export's exports (default: "
        "export_bucket in the config file)",
    )  # fmt: skip
    parser.add_argument(
        "--batch-size", type=int, default=BATCH_SIZE, metavar="N", help=argparse.SUPPRESS
    )
    parser.add_argument("--segments", type=int, default=4, metavar="N", help=argparse.SUPPRESS)
    parser.epilog = (
        "Damaged: the restored item passes the integrity rules and the live one breaks them. "
        "Each write is conditional on the live item being unchanged since the diff; a changed "
        "item is skipped and listed. Every batch is journaled: running the same command again "
        "resumes. Exit codes: 0 repaired (or dry run), 1 some items skipped (changed "
        "meanwhile), 2 error or refused, 130 interrupted (run again to resume)."
    )


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.from_export is not None:
        from lee_console.commands.repair_export import run_from_export

        live = validate_table_name(args.live)
        return run_from_export(args, ctx, live, _rules(live, args), prompt)
    live, restored = validate_table_name(args.live), validate_table_name(args.restored)
    if live == restored:
        raise InvalidInput("LIVE and --from name the same table; --from takes the restored one.")
    if not 1 <= args.batch_size <= 100:
        raise InvalidInput(f"--batch-size takes 1 to 100, got {args.batch_size}.")
    if not 1 <= args.segments <= MAX_SEGMENTS:
        raise InvalidInput(f"--segments takes 1 to {MAX_SEGMENTS}, got {args.segments}.")
    what = f"writing damaged items of {live} back from {restored}"
    if not args.dry_run and ctx.config.read_only:
        raise refusal(f"Not {what}", "--dry-run shows the counts.")
    rules = _rules(live, args)
    comparable_keys(ctx.aws, restored, live)  # an unknown table or other keys: said alone
    ctx.say(f"Diffing {restored} -> {live} ({rules_line(rules)}): scanning both tables")
    plan = plan_repair(
        ctx.aws, live, restored, rules, restore_deleted=args.restore_deleted,
        segments=args.segments,
    )  # fmt: skip
    show_plan(ctx, plan, args.json, args.dry_run)
    if args.dry_run:
        ctx.say(
            f"Dry run: {plan.damaged} damaged, {plan.would_repair} would be repaired; "
            "nothing changed."
        )
        return 0
    if not plan.targets and not plan.resume.done:
        ctx.say(f"Nothing to repair: no item of {live} is damaged.")
        if args.json:
            print(json.dumps(plan.to_json(), indent=2), file=ctx.out)
        return 0
    if plan.targets:
        typed = args.confirm if args.confirm is not None else prompt(live, what)
        check_confirmation(typed, live, what)
    result, interrupted = run_in_worker(
        ctx,
        lambda cancelled, _abandon: run_repair(
            ctx.aws,
            plan,
            rules,
            batch_size=args.batch_size,
            on_progress=lambda progress: ctx.say(progress.line()),
            cancelled=cancelled,
        ),
        "Stopping after this batch (it is journaled); run the same command again to resume.",
        "Still finishing the batch in flight.",
    )
    show_result(ctx, result, args.json)
    gap = gap_line(ctx, restored)
    if gap:
        ctx.say(gap)
    if interrupted or not result.complete:
        return EXIT_INTERRUPTED
    return EXIT_SKIPPED if result.skipped else 0


def _rules(live: str, args: argparse.Namespace) -> RuleSet:
    rules = load_rules_for(live, args.rules)
    if rules.empty:
        raise InvalidInput(
            f"No integrity rules for {live}: repair needs them to tell damaged items from "
            "legitimate changes; pass --rules FILE."
        )
    return rules


def rules_line(rules: RuleSet) -> str:
    return f"rules {rules.table} from {rules.source}, {len(rules.rules)} rules"


def prompt(expected: str, what: str) -> str | None:
    """The typed confirmation of a destructive change; None when there is no terminal."""
    if not sys.stdin.isatty():
        return None
    return input(f"{what[0].upper()}{what[1:]}. Type {expected} to confirm: ")


def show_plan(ctx: CommandContext, plan: RepairPlan, as_json: bool, dry_run: bool) -> None:
    """The counts, first: on stdout (JSON for a dry run with --json); with --json on a real
    run, one line on stderr, as stdout gets the result."""
    counts = plan.counts()
    if as_json:
        if dry_run:
            print(json.dumps(plan.to_json(), indent=2), file=ctx.out)
        else:
            ctx.say(", ".join(f"{name.replace('_', ' ')} {n}" for name, n in counts.items()))
        return
    rows = [
        ["damaged (restored passes the rules, live breaks them)", str(counts["damaged"])],
        ["would repair now", str(counts["would_repair"])],
        ["already repaired (journal)", str(counts["already_repaired"])],
        ["already skipped (journal)", str(counts["already_skipped"])],
        [
            "absent in live, passing in restored"
            + (" (written back)" if plan.restore_deleted else " (not written back)"),
            str(counts["deleted_in_live"]),
        ],
        ["legitimate changes kept as they are", str(counts["legit_writes_after"])],
    ]
    print(f"repair {plan.live} from {plan.restored}", file=ctx.out)
    print(text_table(["", "ITEMS"], rows), file=ctx.out)
    if plan.deleted_in_live and not plan.restore_deleted:
        keys = ", ".join(json.dumps(plan.key_json(k)) for k in plan.deleted_in_live[:5])
        print(
            f"  absent in {plan.live}: {keys}{' ...' if len(plan.deleted_in_live) > 5 else ''}"
            " (--restore-deleted writes them back)",
            file=ctx.out,
        )


def gap_line(ctx: CommandContext, restored: str) -> str | None:
    """What a repair from a restore cannot keep: legitimate writes made to the damaged items
    between the restore point and the declared damage start (the restored images predate
    them). The journal knows the gap, not the writes: an incremental export of it would."""
    if ctx.journal is None:
        return None
    facts = fold_incident(ctx.journal.events())
    point = next((r.restore_point for r in facts.restores if r.target == restored), None)
    start = facts.damage_start
    if point is None or start is None or point >= start:
        return None
    gap = int((start - point).total_seconds())
    return (
        f"The restore point is {gap} s before the declared damage start: a legitimate write "
        f"made to a repaired item in that gap ({format_utc(point)} -> {format_utc(start)}) is "
        "not in the restored image and was not kept. The journal cannot count them; "
        f"`lee-console damage {facts.table or 'TABLE'} --since {format_utc(point)} --until "
        f"{format_utc(start)}` would (an export of at least 15 minutes), and repair "
        "--from-export keeps them."
    )


def show_result(ctx: CommandContext, result: RepairResult, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.to_json(), indent=2), file=ctx.out)
    else:
        print(
            f"repaired {result.repaired}, skipped {result.skipped}, left {result.left} "
            f"(of {result.damaged} damaged)",
            file=ctx.out,
        )
        for key, reason in result.skipped_keys[:20]:
            print(f"  skipped {json.dumps(key)}: {reason}", file=ctx.out)
    if result.complete:
        ctx.say(
            f"Repaired in place: {result.repaired} item(s) of {result.live} written back; "
            f"{result.legit_writes_after} legitimate change(s) kept."
            + (f" {result.skipped} skipped: check them by hand." if result.skipped else "")
        )
    else:
        ctx.say(f"{result.left} item(s) left: run the same command again to resume.")


def run_in_worker(
    ctx: CommandContext,
    work: Callable[[threading.Event, threading.Event], T],
    first_interrupt: str,
    second_interrupt: str,
) -> tuple[T, bool]:
    """Run ``work(cancelled, abandon)`` in a thread; Ctrl-C sets ``cancelled`` (and says
    ``first_interrupt``), a second one ``abandon``. Returns the result and whether the
    operator interrupted; re-raises the work's error."""
    cancelled, abandon, finished = threading.Event(), threading.Event(), threading.Event()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = work(cancelled, abandon)
        except BaseException as error:  # handed to the calling thread
            box["error"] = error
        finally:
            finished.set()

    # An Event, not Thread.join: a join interrupted by Ctrl-C can leave is_alive() False
    # while the thread still runs (Python < 3.13).
    threading.Thread(target=target, name="lee-command", daemon=True).start()
    while not finished.is_set():
        try:
            finished.wait(0.2)
        except KeyboardInterrupt:
            if not cancelled.is_set():
                cancelled.set()
                ctx.say(first_interrupt)
            else:
                abandon.set()
                ctx.say(second_interrupt)
    if "error" in box:
        raise box["error"]
    result: T = box["result"]
    return result, cancelled.is_set()
