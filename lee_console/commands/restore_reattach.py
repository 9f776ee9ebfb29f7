"""Restores started by a run that did not follow them to their end (killed while waiting, or
between AWS accepting the restore and journaling its start): `lee-console restore TABLE
--reattach [--target NAME]` follows one to ACTIVE and journals it, and a rerun of the same
`restore` follows the restore it started instead of failing on the existing target.

A restore whose start was never journaled (only its call was, or only AWS knows it) has its
start journaled late, at the time of the call or of the table's creation (``occurred_at``). A
restore that finished while nothing followed it is journaled as finished unobserved: when
exactly it ended is not known."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from datetime import datetime

from lee_console.aws.items import count_items
from lee_console.aws.restore import unfinished_restores, wait_for_restore
from lee_console.aws.tables import describe_table_raw
from lee_console.commands.context import CommandContext
from lee_console.core.errors import InvalidInput
from lee_console.core.inflight import InFlightRestore
from lee_console.core.journal import JournalEvent, Kind, format_utc_ms
from lee_console.core.names import validate_table_name
from lee_console.core.restore import (
    RestoreProgress,
    RestoreRequest,
    RestoreResult,
    finished_event,
    started_event,
)
from lee_console.core.timeparse import format_utc

RERUN_SLACK_SECONDS = 60  # between a run's reading of --at and its restore's journaled start


def _events(ctx: CommandContext) -> list[JournalEvent]:
    journal = ctx.aws.journal
    return journal.events() if journal is not None else []


def _state(entry: InFlightRestore) -> str:
    return "still restoring" if entry.still_restoring else "done, its end never journaled"


def run_reattach(args: argparse.Namespace, ctx: CommandContext) -> int:
    """`restore TABLE --reattach [--target NAME]`."""
    source = validate_table_name(args.table)
    found = unfinished_restores(ctx.aws, _events(ctx), source, everywhere=True)
    if args.target is not None:
        found = [entry for entry in found if entry.request.target_table == args.target]
    if not found:
        which = f" into {args.target}" if args.target else ""
        raise InvalidInput(
            f"No restore of {source}{which} to reattach to: the journal has none unfinished "
            "whose table exists, and AWS reports none in progress."
        )
    if len(found) > 1:
        listed = "; ".join(
            f"{e.request.target_table} (started {format_utc(e.started_at)}, {_state(e)})"
            for e in found
        )
        raise InvalidInput(
            f"{len(found)} restores of {source} to reattach to: {listed}; pass --target NAME."
        )
    return follow(args, ctx, found[0])


def earlier_restore(
    args: argparse.Namespace, ctx: CommandContext, request: RestoreRequest
) -> InFlightRestore | None:
    """Before starting ``request``: the unfinished restore of the same source and target (a
    rerun of a killed `restore`: it is followed, not started again). Another one still in
    progress, with no --target given, is refused: starting a second restore is then likely a
    mistake (a rerun of `--latest` names a new target)."""
    found = unfinished_restores(ctx.aws, _events(ctx), request.source_table, everywhere=False)
    same = next((e for e in found if e.request.target_table == request.target_table), None)
    if same is not None:
        _check_same_point(request, same, ctx.now())
        ctx.say(
            f"{request.target_table} is the restore a run started at "
            f"{format_utc(same.started_at)} whose end is not journaled (killed, or still "
            "running elsewhere): following it instead of starting another."
        )
        return same
    restoring = [e for e in found if e.still_restoring]
    if restoring and args.target is None:
        earlier = restoring[0]
        raise InvalidInput(
            f"A restore of {request.source_table} into {earlier.request.target_table} (started "
            f"{format_utc(earlier.started_at)}) is still in progress and was never followed to "
            f"its end (killed?): `lee-console restore {request.source_table} --reattach` "
            "follows it; pass --target NAME to start another restore anyway."
        )
    for entry in found:
        if not entry.still_restoring:
            ctx.say(
                f"Note: the restore into {entry.request.target_table} (started "
                f"{format_utc(entry.started_at)}) finished while nothing followed it: "
                f"`lee-console restore {request.source_table} --reattach --target "
                f"{entry.request.target_table}` records it."
            )
    return None


def _check_same_point(request: RestoreRequest, earlier: InFlightRestore, now: datetime) -> None:
    """Following the earlier restore into the same target gives its point: refused when this
    run asks for another second (two runs naming one target, or a changed --at). A rerun of the
    same relative --at (`-25m`) asks for a second later by the time since the earlier start:
    that is the same request, read anew."""
    asked, made = request.restore_point, earlier.request.restore_point
    if asked is None or made is None:
        return
    shift = (asked - made).total_seconds()
    since = (now - earlier.started_at).total_seconds()
    if abs(shift) < 1 or 0 <= shift <= since + RERUN_SLACK_SECONDS:
        return
    raise InvalidInput(
        f"{request.target_table} is already being restored from {request.source_table} as of "
        f"{format_utc(made)} (started {format_utc(earlier.started_at)}), not "
        f"{format_utc(asked)}: pass another --target for {format_utc(asked)}, or "
        f"`lee-console restore {request.source_table} --reattach --target "
        f"{request.target_table}` to follow that one."
    )


def follow(args: argparse.Namespace, ctx: CommandContext, entry: InFlightRestore) -> int:
    """Wait for ``entry`` to be ACTIVE, journal its start if it never was (at the first poll,
    which also tells the restore point of a `--latest` restore) and its finish, and print the
    result as `restore` does."""
    aws, journal = ctx.aws, ctx.aws.journal
    request = entry.request
    unjournaled = not entry.start_journaled or entry.source_of_truth != "journal"
    ctx.say(
        f"Reattached to the restore {request.describe()}, started "
        f"{format_utc(entry.started_at)}: {_state(entry)}."
    )
    begin = time.monotonic() - max(0.0, (ctx.now() - entry.started_at).total_seconds())
    seen_restoring: list[bool] = []

    def progress(update: RestoreProgress) -> None:
        nonlocal request, unjournaled
        if request.restore_point is None and update.restore_point is not None:
            request = replace(request, restore_point=update.restore_point)
        if unjournaled and journal is not None:
            unjournaled = False
            journal.append(
                Kind.RESTORE_STARTED,
                **started_event(request),
                occurred_at=format_utc_ms(entry.started_at),
                journaled_late=True,
            )
        seen_restoring.append(not update.done)
        ctx.say(update.line())

    wait_for_restore(
        aws,
        request.target_table,
        deadline_seconds=args.timeout * 60,
        poll_seconds=args.poll_seconds,
        on_progress=progress,
        started=begin,
    )
    observed = any(seen_restoring)
    elapsed = time.monotonic() - begin
    count = count_items(aws, request.target_table)
    if journal is not None:
        size = int(describe_table_raw(aws, request.target_table).get("TableSizeBytes", 0))
        journal.append(
            Kind.RESTORE_FINISHED,
            **finished_event(request, elapsed if observed else None, count, size),
        )
    if not observed:
        ctx.say("It had finished while nothing followed it: when exactly is not known.")
    result = RestoreResult(
        request.source_table, request.target_table, request.restore_point, elapsed, count, "ACTIVE"
    )
    document = {**result.to_json(), "reattached": True, "finished_unobserved": not observed}
    print(json.dumps(document, indent=2), file=ctx.out)
    return 0
