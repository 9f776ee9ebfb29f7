"""`lee-console incident declare|note|confirm-service|close|list`: the operator's own journal
entries, written headless to the incident the global --incident selects, else the one open
incident (commands/incident_choice.py: declare without --incident starts a new one). None of
them needs AWS credentials."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from lee_console.commands.context import CommandContext
from lee_console.commands.formatting import text_table
from lee_console.commands.report import journal_directory
from lee_console.core.errors import InvalidInput
from lee_console.core.incident import declaration
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.build import RtoClock
from lee_console.core.report.fold import fold_incident
from lee_console.core.timeparse import ACCEPTED_FORMS, format_utc, parse_time
from lee_console.store.incidents import incident_states
from lee_console.store.journal_file import Journal


def add_arguments(
    parser: argparse.ArgumentParser, parents: Sequence[argparse.ArgumentParser] = ()
) -> None:
    """``parents`` carry the global flags (--incident) down to each action."""
    actions = parser.add_subparsers(dest="incident_action", metavar="ACTION", required=True)
    time_help = f"TIME: {ACCEPTED_FORMS}"
    declare = actions.add_parser(
        "declare",
        help="declare the incident: the table, when the damage began, when it was detected",
        description=time_help,
        parents=list(parents),
    )
    declare.add_argument("--table", required=True, metavar="T", help="the damaged table")
    declare.add_argument("--damage-start", metavar="TIME", help="when the damage began")
    declare.add_argument("--detected", metavar="TIME", help="when it was noticed (default now)")
    declare.add_argument(
        "--rto-clock",
        choices=[clock.value for clock in RtoClock],
        help="where the report starts the RTO clock (default damage)",
    )
    note = actions.add_parser("note", help="add an operator note", parents=list(parents))
    note.add_argument("text", nargs="+", metavar="TEXT")
    confirm = actions.add_parser(
        "confirm-service",
        help="the application works again: stops the RTO clock",
        description=time_help,
        parents=list(parents),
    )
    confirm.add_argument("--at", metavar="TIME", help="when service was back (default now)")
    confirm.add_argument("--note", metavar="TEXT", help="how it was checked")
    close = actions.add_parser("close", help="close the incident", parents=list(parents))
    close.add_argument("--note", metavar="TEXT")
    listing = actions.add_parser(
        "list", help="every journal, open or closed", parents=list(parents)
    )
    listing.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.incident_action == "list":
        return list_command(args, ctx)
    journal = ctx.journal
    if journal is None:
        raise InvalidInput("No incident selected: give --incident ID.")
    events = journal.events()
    if args.incident_action == "declare":
        declare(args, ctx, journal, events)
    elif args.incident_action == "note":
        journal.append(Kind.NOTE, text=" ".join(args.text))
        ctx.say(f"Noted in {journal.incident}.")
    elif args.incident_action == "confirm-service":
        confirm_service(args, ctx, journal, events)
    else:
        close(args, ctx, journal, events)
    return 0


def _time(text: str, option: str, ctx: CommandContext) -> datetime:
    moment = parse_time(text, ctx.now())
    if moment > ctx.now():
        raise InvalidInput(f"{option} {format_utc(moment)} is in the future.")
    return moment


def declare(
    args: argparse.Namespace, ctx: CommandContext, journal: Journal, events: list[JournalEvent]
) -> None:
    """Declare the incident, or amend its declaration: what is not given again is kept (the
    detection time above all, which defaulting to now would move)."""
    table = args.table
    earlier = fold_incident(events)
    amending = earlier.table is not None
    damage = parse_time(args.damage_start, ctx.now()) if args.damage_start is not None else None
    if args.detected is not None:
        detected = parse_time(args.detected, ctx.now())
    else:
        detected = earlier.detected_at if amending and earlier.detected_at else ctx.now()
    detected = detected.replace(microsecond=0)
    if amending and earlier.table != table:
        if earlier.restores:
            raise InvalidInput(
                f"{journal.incident} is about {earlier.table}, whose restore it journals: it "
                f"cannot be moved to {table}; declare a new incident for {table} (without "
                "--incident)."
            )
        ctx.say(f"{journal.incident}: the table is now {table} (was {earlier.table}).")
    data = declaration(table, damage, detected, ctx.now(), args.rto_clock)
    journal.append(Kind.INCIDENT_DECLARED, **data)
    start = format_utc(damage) if damage else "not given"
    ctx.say(
        f"Declared incident {journal.incident}: {table}, damage start {start}, detected "
        f"{format_utc(detected)}. Journal: {journal.path}"
    )
    print(journal.incident, file=ctx.out)  # the id, for scripts: --incident "$(...)"
    if damage is None:
        ctx.say("Without --damage-start the report cannot measure time to detect: add it when "
                f"you know with `lee-console incident declare --incident {journal.incident} "
                f"--table {table} --damage-start TIME`.")  # fmt: skip


def confirm_service(
    args: argparse.Namespace, ctx: CommandContext, journal: Journal, events: list[JournalEvent]
) -> None:
    data: dict[str, Any] = {}
    when = ctx.now()
    if args.at is not None:
        when = _time(args.at, "--at", ctx)
        data["occurred_at"] = format_utc(when)
    facts = fold_incident(events)
    started = (("the damage start", facts.damage_start), ("detection", facts.detected_at))
    for name, moment in started:
        if moment is not None and when < moment:  # -2h for -2m: the RTO would come out negative
            raise InvalidInput(
                f"Service cannot be confirmed at {format_utc(when)}, before {name} "
                f"({format_utc(moment)}) in {journal.incident}; give the time it came back."
            )
    if args.note:
        data["text"] = args.note
    journal.append(Kind.SERVICE_CONFIRMED, **data)
    ctx.say(f"Service confirmed at {format_utc(when)} in {journal.incident}: the RTO clock stops.")


def close(
    args: argparse.Namespace, ctx: CommandContext, journal: Journal, events: list[JournalEvent]
) -> None:
    facts = fold_incident(events)
    journal.append(Kind.CLOSED, **({"text": args.note} if args.note else {}))
    if facts.service_confirmed_at is None:
        ctx.say("Closed with no service confirmation: the report cannot say when you recovered.")
    ctx.say(
        f"Closed {journal.incident}. `lee-console report {journal.incident}` writes the report."
    )


def list_command(args: argparse.Namespace, ctx: CommandContext) -> int:
    directory = journal_directory(ctx)
    rows: list[dict[str, Any]] = []
    for state in incident_states(directory):
        rows.append(
            {
                "incident": state.incident,
                "table": state.table,
                "first_event_at": format_utc(state.first_at) if state.first_at else None,
                "last_event_at": format_utc(state.last_at) if state.last_at else None,
                "events": state.events,
                "state": state.state,
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2), file=ctx.out)
        return 0
    if not rows:
        ctx.say(f"No incident journals in {directory}.")
        return 0
    headers = ["INCIDENT", "TABLE", "FIRST", "LAST", "EVENTS", "STATE"]
    cells = [
        [r["incident"], r["table"] or "-", r["first_event_at"] or "-", r["last_event_at"] or "-",
         str(r["events"]), r["state"]]
        for r in rows
    ]  # fmt: skip
    print(text_table(headers, cells), file=ctx.out)
    return 0
