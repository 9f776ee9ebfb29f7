"""`lee-console report [INCIDENT]`: the post-incident report, from the journal alone.

INCIDENT defaults to the global --incident, else the journal written last. No AWS call.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lee_console.commands.context import CommandContext
from lee_console.core.errors import InvalidInput
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.numbers import in_range
from lee_console.core.report.build import RtoClock, build_report
from lee_console.core.report.truth import GroundTruth
from lee_console.store.drill_truth import drill_truth_path
from lee_console.store.journal_file import Journal, list_incidents, read_journal
from lee_console.store.paths import state_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "report_incident",
        metavar="INCIDENT",
        nargs="?",
        help="journal name (default: --incident, else the journal written last)",
    )
    parser.add_argument("--format", choices=("md", "json"), default="md", help="default md")
    parser.add_argument(
        "--rto-clock",
        choices=[clock.value for clock in RtoClock],
        default=None,
        help="start the RTO clock at the damage start or at detection "
        "(default: as the incident was declared, else damage)",
    )
    parser.add_argument(
        "--truth",
        metavar="FILE",
        help="a drill sandbox's ground truth (`sandbox serve --truth-file`): the RPO is then "
        "measured write by write (default for a closed drill incident: its sandbox's truth)",
    )
    parser.add_argument(
        "--rto-target",
        type=int,
        default=None,
        metavar="MINUTES",
        help="RTO target (default 60, or the config file's rto_target_minutes)",
    )


def journal_directory(ctx: CommandContext) -> Path:
    return ctx.journal.path.parent if ctx.journal else state_dir() / "journals"


def newest_incident(directory: Path) -> str | None:
    """The journal appended to last (by file time; the name breaks a tie)."""
    names = list_incidents(directory)
    if not names:
        return None
    return max(names, key=lambda name: ((directory / f"{name}.jsonl").stat().st_mtime, name))


def choose_incident(args: argparse.Namespace, ctx: CommandContext, directory: Path) -> str:
    chosen: str | None = args.report_incident or getattr(args, "incident", None)
    if chosen is None:
        chosen = newest_incident(directory)
        if chosen is None:
            raise InvalidInput(
                f"No incident journals in {directory}: nothing to report. "
                "`lee-console incident declare --table T` starts one."
            )
    return chosen


def load_truth(path: Path) -> GroundTruth:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return GroundTruth.from_json(data, f"the ground truth in {path}")
    except OSError as error:
        raise InvalidInput(f"Cannot read the truth file {path}: {error.strerror}.") from None
    except RecursionError:
        raise InvalidInput(
            f"{path} is not a sandbox ground truth (nested too deep): use the file `sandbox "
            "serve --truth-file` writes."
        ) from None
    except ValueError as error:  # not JSON, or not a truth file
        raise InvalidInput(
            f"{path} is not a sandbox ground truth ({error}): use the file `sandbox serve "
            "--truth-file` writes."
        ) from None


def drill_truth(incident: str, events: list[JournalEvent]) -> GroundTruth | None:
    """The truth of the drill sandbox this incident ran against, once the incident is closed
    (before that it would give the drill away)."""
    if not any(e.kind == Kind.CLOSED for e in events):
        return None
    path = drill_truth_path(state_dir(), incident)
    return load_truth(path) if path is not None and path.exists() else None


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    target = args.rto_target if args.rto_target is not None else ctx.config.rto_target_minutes
    in_range("--rto-target", target, 1, 7 * 24 * 60, "minutes")  # as the config's key
    directory = journal_directory(ctx)
    incident = choose_incident(args, ctx, directory)
    path = Journal(directory, incident).path  # validates the name
    if not path.exists():
        known = ", ".join(list_incidents(directory)) or "none"
        raise InvalidInput(f"No journal named {incident!r} in {directory} (journals: {known}).")
    events = list(read_journal(path))
    clock = args.rto_clock or ctx.config.rto_clock
    given = Path(args.truth) if args.truth is not None else None
    truth = load_truth(given) if given is not None else drill_truth(incident, events)
    report = build_report(events, target, clock, incident=incident, truth=truth)
    if args.format == "json":
        print(report.to_json(), file=ctx.out)
    else:
        print(report.to_markdown(), end="", file=ctx.out)
    ctx.say(f"Report of {incident} from {path} ({len(events)} events): {report.rto.verdict}.")
    return 0
