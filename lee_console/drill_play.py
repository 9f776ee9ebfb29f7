"""`lee-console drill`: a DR training drill against a drill sandbox with a seeded incident.

    drill [start] [--scenario NAME|random] [--seed N] [--participant NAME] [--rto-minutes 60]
    drill open | finish [--json] | results [--participant NAME] [--json]

`drill` starts one and opens the console in drill mode; `drill start` starts one headless (the
participant then uses the ordinary commands, with --sandbox); `drill open` returns to the one
running; `drill finish` closes its incident, scores it against the ground truth, saves the
result and stops its sandbox. One drill runs at a time. Like drill_sandbox.py this module starts
processes, so it sits beside cli.py rather than under commands/.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from lee_console.aws.connection import ConnectionSettings
from lee_console.aws.drill_finish import finish_drill
from lee_console.aws.session import Aws
from lee_console.commands.incident_choice import end_drill_incident
from lee_console.core.config import Config
from lee_console.core.drill.card import card_text, timeline_text
from lee_console.core.drill.results import ranked, results_table
from lee_console.core.drill.truth import DrillTruth
from lee_console.core.errors import InvalidInput
from lee_console.core.timeparse import format_utc
from lee_console.drill_options import checked_action, participant_name
from lee_console.sandbox_process import (
    live_sandbox,
    start_sandbox_process,
    stop_live_writes,
    stop_sandbox,
)
from lee_console.store.drills import (
    DrillRecord,
    check_writable,
    current_drill,
    drill_truth_file,
    forget_drill,
    read_truth,
    result_saved,
    save_drill,
    saved_markdown,
    saved_results,
    starting_drill,
)
from lee_console.store.incidents import DRILL, incident_state, journals_dir, new_incident_id
from lee_console.store.paths import state_dir

Say = Callable[[str], None]
SCENARIOS = ("bad-deployment", "accidental-delete", "gradual-corruption")
CHOICES = (*SCENARIOS, "random")


def run(
    args: argparse.Namespace, say: Say, config: Config, check_terminal: Callable[[], None]
) -> int:
    """``check_terminal`` refuses (before a sandbox starts) when the console could not draw."""
    action = checked_action(args)
    serving = getattr(args, "serve", None) is not None
    if action in ("play", "open") and not serving:
        check_terminal()
    if action != "results":
        check_writable(state_dir(), results=action != "start")

    def open_console(record: DrillRecord) -> int:
        if serving:
            return serve_drill(record, args, say)
        return open_drill(record, config, args.facilitator, say)

    if action == "results":
        return _results(args)
    if action == "finish":
        return _finish(args, say)
    if action == "open":
        return open_console(running_drill(say))
    record = _start(args, say)
    if action == "start":
        _print_start(record, args.json)
        return 0
    return open_console(record)


def open_drill(record: DrillRecord, config: Config, facilitator: bool, say: Say) -> int:
    """The console in drill mode on the running drill; a drill finished in it is ended here
    (its sandbox stopped) once the console has quit."""
    from lee_console.store.journal_file import Journal
    from lee_console.ui.drill.mode import DrillMode
    from lee_console.ui.launch import run_console

    settings = ConnectionSettings(
        region=config.region, endpoint_url=record.endpoint_url, read_only=config.read_only,
        sandbox=True,
    )  # fmt: skip
    journal = Journal(journals_dir(state_dir()), record.incident)
    brief = drill_truth(record).brief
    mode = DrillMode(
        record, brief.symptoms, facilitator, lambda: stop_live_writes(record.endpoint_url)
    )
    code = run_console(settings, journal, config, mode)
    if finished_in_console(record):
        end_finished(record, say)
    else:
        say(f"Drill {record.incident} goes on: `lee-console drill open` returns to it.")
    return code


def serve_drill(record: DrillRecord, args: argparse.Namespace, say: Say) -> int:
    """The drill console in a browser (a facilitator's projector): each tab runs `lee-console
    drill open` on this drill, on loopback unless --host says otherwise."""
    from lee_console.ui.web import serve_in_browser

    command = [sys.executable, "-m", "lee_console", "drill", "open"]
    if args.facilitator:
        command.append("--facilitator")
    say(f"Drill {record.incident} runs; the browser's console plays it (`drill finish` ends it).")
    return serve_in_browser(command, args.host or "127.0.0.1", args.serve, "the drill console", say)


def running_drill(say: Say) -> DrillRecord:
    """The drill being played, or a one-line refusal saying how to start one."""
    record = current_drill(state_dir())
    if record is None:
        raise InvalidInput("No drill is running; `lee-console drill start` starts one.")
    if finished_in_console(record):  # scored, and the console ended before it could say so
        _end(record, "finished", say)
        raise InvalidInput(
            f"Drill {record.incident} was already scored when its incident was closed (the "
            f"card: {saved_markdown(record.incident)}); it is over now. `lee-console drill "
            "results` ranks it."
        )
    if _sandbox_gone(record):
        _end(record, "gone", say)
        raise InvalidInput(
            f"The sandbox of drill {record.incident} is gone (its process ended); the drill "
            "was closed unscored. `lee-console drill start` starts a new one."
        )
    return record


def _start(args: argparse.Namespace, say: Say) -> DrillRecord:
    with starting_drill(state_dir()):
        return _start_one(args, say)


def _start_one(args: argparse.Namespace, say: Say) -> DrillRecord:
    state = state_dir()
    requested = "random" if args.scenario is None else args.scenario
    if requested not in CHOICES:
        raise InvalidInput(f"Unknown scenario {requested!r}; choose one of: {', '.join(CHOICES)}.")
    participant = args.participant or participant_name(_user())
    existing = current_drill(state)
    if existing is not None and not _sandbox_gone(existing):
        raise InvalidInput(
            f"A drill is running ({existing.incident}, since {existing.started_at}): "
            "`lee-console drill open` returns to it, `lee-console drill finish` scores it."
        )
    if existing is not None:
        _end(existing, "gone", say)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    scenario = requested if requested != "random" else random.Random(seed).choice(SCENARIOS)
    stopped = stop_sandbox(state)
    if stopped is not None:
        end_drill_incident(journals_dir(state), stopped.incident, "replaced by a drill", say)
    incident = new_incident_id(journals_dir(state), DRILL)
    truth = drill_truth_file(state, incident)
    extra = [
        "--seed", str(seed), "--live-writes", f"{args.live_writes:g}",
        "--items", str(args.items), "--restore-seconds", f"{args.restore_seconds:g}",
    ]  # fmt: skip
    label = "drill" if requested == "random" else f"{scenario} drill"
    process = start_sandbox_process(state, scenario, say, incident, truth, extra, label)
    record = DrillRecord(
        incident=incident,
        scenario=scenario,
        requested=requested,
        seed=seed,
        participant=participant,
        rto_minutes=args.rto_minutes,
        started_at=format_utc(datetime.now(UTC)),
        endpoint_url=process.endpoint_url,
        sandbox_pid=process.pid,
        truth_path=str(truth),
    )
    save_drill(state, record)
    say(f"Drill {incident} started for {participant} (seed {seed}); the clock runs.")
    return record


class TruthUnreadable(InvalidInput):
    """The drill's ground truth cannot be read: the drill cannot be scored."""


def drill_truth(record: DrillRecord) -> DrillTruth:
    try:
        return DrillTruth.from_json(read_truth(record))
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise TruthUnreadable(
            f"Cannot read the ground truth of drill {record.incident}, {record.truth_path} "
            f"({reason}): the drill cannot be scored; `lee-console drill finish` closes it."
        ) from None


def _print_start(record: DrillRecord, as_json: bool) -> None:
    brief = drill_truth(record).brief
    data: dict[str, Any] = {
        "incident": record.incident,
        "endpoint_url": record.endpoint_url,
        "participant": record.participant,
        "scenario": record.requested,
        "seed": record.seed,
        "started_at": record.started_at,
        "rto_minutes": record.rto_minutes,
        "brief": {
            "symptoms": list(brief.symptoms),
            "detected_at": format_utc(brief.detected_at) if brief.detected_at else None,
        },
        "use": "lee-console --sandbox COMMAND ... (or --endpoint-url with the endpoint above)",
        "finish": "lee-console drill finish",
    }
    if as_json:
        print(json.dumps(data, indent=1))
        return
    print(brief_text(record, brief.symptoms))


def brief_text(record: DrillRecord, symptoms: tuple[str, ...]) -> str:
    lines = [
        f"PAGE - incident {record.incident} - {record.started_at}",
        *(f"  * {symptom}" for symptom in symptoms),
        f"Recover the service within {record.rto_minutes} min. Commands: lee-console --sandbox "
        "...; `lee-console drill finish` when you are done.",
    ]
    return "\n".join(lines)


def _finish(args: argparse.Namespace, say: Say) -> int:
    record = running_drill(say)
    stop_live_writes(record.endpoint_url)
    try:
        truth = drill_truth(record)
    except TruthUnreadable as error:  # never scorable: end it rather than leave it running
        _end(record, "stopped: the drill's ground truth could not be read", say)
        head = error.message.split(": the drill cannot be scored")[0]
        raise InvalidInput(
            f"{head}: the drill cannot be scored and was closed unscored (its journal stays "
            "for `lee-console report`). `lee-console drill start` starts a new one."
        ) from None
    aws = Aws(ConnectionSettings(endpoint_url=record.endpoint_url, sandbox=True), None)
    finished = finish_drill(aws, state_dir(), record, truth, datetime.now(UTC))
    _end(record, "finished", say)
    if args.json:
        print(json.dumps(finished.card_json, indent=1))
    else:
        print(card_text(finished.card))
        if args.facilitator:
            print("\n" + timeline_text(finished.timeline, record.participant))
    say(f"Saved {finished.json_path} and {finished.markdown_path}.")
    return 0


def _results(args: argparse.Namespace) -> int:
    """The results, best first; files in the results folder that are not results are named on
    stderr after them (exit 2), so a corrupt file is neither hidden nor in the way."""
    found, skipped = saved_results()
    results = ranked(found, args.participant)
    if args.json:
        print(json.dumps(results, indent=1))
    elif results:
        print(results_table(results))
    elif not skipped:
        who = f" for {args.participant}" if args.participant else ""
        print(f"No drill results{who} yet.", file=sys.stderr)
    if skipped:
        names = ", ".join(path.name for path in skipped[:5])
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        raise InvalidInput(
            f"{len(skipped)} file(s) in {skipped[0].parent} are not drill results and were "
            f"left out: {names}{more}."
        )
    return 0


def finished_in_console(record: DrillRecord) -> bool:
    """The participant closed the incident in the console and the score card was saved."""
    return result_saved(record.incident)


def end_finished(record: DrillRecord, say: Say) -> None:
    _end(record, "finished", say)
    say(f"Drill {record.incident} is over; `lee-console drill results` ranks the results.")


def _end(record: DrillRecord, why: str, say: Say) -> None:
    """The drill is over: its sandbox stopped, its incident closed, the record gone."""
    state = state_dir()
    sandbox = live_sandbox(state)  # answering or not, it is this drill's: stopped
    if sandbox is not None and sandbox.pid == record.sandbox_pid:
        stop_sandbox(state)
    state_now = incident_state(journals_dir(state), record.incident)
    if why != "finished" and state_now is not None and state_now.closed_at is None:
        end_drill_incident(journals_dir(state), record.incident, why, say)
    forget_drill(state, record)


def _sandbox_gone(record: DrillRecord) -> bool:
    sandbox = live_sandbox(state_dir())  # a slow sandbox is not gone
    return sandbox is None or sandbox.pid != record.sandbox_pid


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "participant"
