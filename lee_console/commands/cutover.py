"""`lee-console cutover repoint LIVE --to RESTORED` and `lee-console cutover rollback`.

Repoint changes every SSM parameter whose value is LIVE and every Lambda environment variable
equal to LIVE to RESTORED, after the operator types RESTORED (headless: --confirm RESTORED),
and journals each old value. Rollback puts the recorded old values of the current incident's
repoints back, after the operator types the live table's name.

A repoint killed before it journaled its outcome is said first, reference by reference (what
each holds now): repoint again (to the same table) finishes it, rollback puts back what it
changed; a repoint to another table is refused until one of them is done.

Exit codes: 0 done (or dry run), 2 error, refused, or a change that did not hold."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from lee_console.aws.readonly import refusal
from lee_console.aws.repoint import plan_cutover, repoint, rollback
from lee_console.aws.repoint_resume import finish_repoint, interrupted_states
from lee_console.commands.context import CommandContext
from lee_console.commands.formatting import text_table
from lee_console.core.errors import InvalidInput
from lee_console.core.names import validate_table_name
from lee_console.core.repoint import (
    Change,
    ChangeResult,
    check_confirmation,
    pending_rollbacks,
)
from lee_console.core.repoint_runs import RepointState, refuse_other_target

LAMBDA_NOTE = (
    "Note: only each function's $LATEST changes; an alias or caller that pins a published "
    "version keeps the old value until a new version is published and the alias moved."
)


def add_arguments(
    parser: argparse.ArgumentParser, parents: Sequence[argparse.ArgumentParser] = ()
) -> None:
    actions = parser.add_subparsers(dest="cutover_action", metavar="ACTION", required=True)
    point = actions.add_parser(
        "repoint",
        help="point the SSM parameters and Lambda variables naming LIVE at RESTORED",
        parents=list(parents),
    )
    point.add_argument("live", metavar="LIVE", help="the table the application uses now")
    point.add_argument("--to", required=True, metavar="RESTORED", help="the restored table")
    back = actions.add_parser(
        "rollback",
        help="put back the values recorded by this incident's repoints (see --incident)",
        parents=list(parents),
    )
    for sub, whose in ((point, "RESTORED"), (back, "LIVE")):
        sub.add_argument("--dry-run", action="store_true", help="show the changes, make none")
        sub.add_argument(
            "--confirm",
            action="append",
            default=[],
            metavar="NAME",
            help=f"type {whose}'s table name here to confirm without a prompt",
        )
        sub.add_argument("--json", action="store_true", help="JSON on stdout")


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.cutover_action == "repoint":
        return run_repoint(args, ctx)
    return run_rollback(args, ctx)


def run_repoint(args: argparse.Namespace, ctx: CommandContext) -> int:
    live, restored = validate_table_name(args.live), validate_table_name(args.to)
    journal = ctx.aws.journal
    states = interrupted_states(ctx.aws, journal.events(), live) if journal else []
    for state in states:
        ctx.say(state.summary())
    refused = refuse_other_target(states, live, restored)
    if refused is not None:
        raise InvalidInput(refused)
    if states:
        return finish_interrupted(args, ctx, states)
    changes = plan_cutover(ctx.aws, live, restored)
    if not changes:
        raise InvalidInput(
            f"No SSM parameter or Lambda environment variable has the value {live}: nothing to "
            "repoint (does the application read the table name from somewhere else?)."
        )
    show_plan(ctx, changes, args.json)
    if args.dry_run:
        ctx.say(f"Dry run: {len(changes)} reference(s) would change; nothing changed.")
        return 0
    what = f"repointing {len(changes)} reference(s) from {live} to {restored}"
    refuse_read_only(ctx, what)
    typed = args.confirm[-1] if args.confirm else prompt(restored, what)
    check_confirmation(typed, restored, what)
    result = repoint(ctx.aws, live, restored, changes, on_result=lambda r: say_result(ctx, r))
    show_results(ctx, result.results, args.json)
    if any(c.kind == "lambda" for c in changes):
        ctx.say(LAMBDA_NOTE)
    if not result.complete:
        ctx.say(
            f"The cutover to {restored} is incomplete; `lee-console cutover rollback` puts back "
            "what changed."
        )
        return 2
    ctx.say(f"Cut over: {len(changes)} reference(s) now name {restored} (cutover "
            f"{result.cutover_id}).")  # fmt: skip
    return 0


def finish_interrupted(
    args: argparse.Namespace, ctx: CommandContext, states: list[RepointState]
) -> int:
    """Finish interrupted repoints of LIVE to RESTORED: their remaining changes, then the
    ``cutover`` that names every reference they moved."""
    left = [change for state in states for change in state.left]
    show_plan(ctx, left, args.json)
    live, restored = states[0].run.live, states[0].run.restored
    if args.dry_run:
        ctx.say(f"Dry run: finishing it would change {len(left)} reference(s); nothing changed.")
        return 0
    what = f"finishing the repoint of {live} to {restored} ({len(left)} reference(s) left)"
    refuse_read_only(ctx, what)
    if left:
        typed = args.confirm[-1] if args.confirm else prompt(restored, what)
        check_confirmation(typed, restored, what)
    results: list[ChangeResult] = []
    for state in states:
        done = finish_repoint(ctx.aws, state, on_result=lambda r: say_result(ctx, r))
        results += done.results
    show_results(ctx, results, args.json)
    if any(c.kind == "lambda" for c in left):
        ctx.say(LAMBDA_NOTE)
    if not all(r.status in ("changed", "already") for r in results):
        ctx.say(
            f"The repoint to {restored} is still incomplete (see above); `lee-console cutover "
            "rollback` puts back what changed."
        )
        return 2
    moved = len(results)
    ctx.say(f"Cut over: the interrupted repoint is finished; {moved} reference(s) now name "
            f"{restored}.")  # fmt: skip
    return 0


def run_rollback(args: argparse.Namespace, ctx: CommandContext) -> int:
    journal = ctx.aws.journal
    if journal is None:
        raise InvalidInput("Rollback reads the incident journal, and this session has none.")
    for state in interrupted_states(ctx.aws, journal.events()):
        ctx.say(state.summary())
    pending = pending_rollbacks(journal.events())
    if not pending:
        raise InvalidInput(
            f"No repoint to roll back in incident {journal.incident}: pass --incident with the "
            "incident that made the cutover."
        )
    changes = [change for cutover in pending for change in cutover.changes]
    show_plan(ctx, changes, args.json)
    lives = sorted({cutover.live for cutover in pending})
    if args.dry_run:
        ctx.say(f"Dry run: {len(changes)} reference(s) would go back; nothing changed.")
        return 0
    for live in lives:
        what = f"rolling back {len(changes)} reference(s) to {live}"
        refuse_read_only(ctx, what)
        typed = live if live in args.confirm else (args.confirm or [None])[-1]
        if typed is None:
            typed = prompt(live, what)
        check_confirmation(typed, live, what)
    result = rollback(ctx.aws, pending, on_result=lambda r: say_result(ctx, r))
    show_results(ctx, result.results, args.json)
    if not result.complete:
        ctx.say("The rollback is incomplete; the references listed above need a look.")
        return 2
    ctx.say(f"Rolled back: the references name {', '.join(lives)} again.")
    return 0


def refuse_read_only(ctx: CommandContext, what: str) -> None:
    if ctx.config.read_only:
        raise refusal(f"Not {what}", "")


def prompt(expected: str, what: str) -> str | None:
    """The typed confirmation of a destructive change; None when there is no terminal."""
    if not sys.stdin.isatty():
        return None
    return input(f"{what[0].upper()}{what[1:]}. Type {expected} to confirm: ")


def show_plan(ctx: CommandContext, changes: list[Change], as_json: bool) -> None:
    if as_json:
        return
    rows = [[c.kind, c.name, c.variable or "", f"{c.old} -> {c.new}"] for c in changes]
    print(text_table(["KIND", "NAME", "VARIABLE", "OLD -> NEW"], rows), file=ctx.out)


def say_result(ctx: CommandContext, result: ChangeResult) -> None:
    detail = f" ({result.detail})" if result.detail else ""
    ctx.say(f"[{result.status}] {result.change.label}: {result.change.new}{detail}")


def show_results(ctx: CommandContext, results: list[ChangeResult], as_json: bool) -> None:
    if as_json:
        print(json.dumps([r.to_json() for r in results], indent=2), file=ctx.out)
