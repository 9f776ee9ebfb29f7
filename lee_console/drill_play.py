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

from lee_console.aws.drill_finish import finish_drill
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.commands.incident_choice import end_drill_incident
from lee_console.core.config import Config
from lee_console.core.drill.card import card_text, timeline_text
from lee_console.core.drill.results import ranked, results_table
from lee_console.core.drill.truth import DrillTruth
from lee_console.core.errors import InvalidInput
from lee_console.core.timeparse import format_utc
from lee_console.sandbox_process import (
    running_sandbox,
    start_sandbox_process,
    stop_live_writes,
    stop_sandbox,
)
from lee_console.store.drills import (
    DrillRecord,
    current_drill,
    drill_truth_file,
    forget_drill,
    read_truth,
    result_saved,
    save_drill,
    saved_results,
)
from lee_console.store.incidents import DRILL, incident_state, journals_dir, new_incident_id
from lee_console.store.paths import state_dir

Say = Callable[[str], None]
SCENARIOS = ("bad-deployment", "accidental-delete", "gradual-corruption")
CHOICES = (*SCENARIOS, "random")
ACTIONS = ("start", "open", "finish", "results")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=ACTIONS, help="default: start and open")
    parser.add_argument("--seed", type=_seed, help="the incident's seed (default: a random one)")
    parser.add_argument("--participant", metavar="NAME", help="who plays (default: $USER)")
    parser.add_argument("--rto-minutes", type=_minutes, default=60, metavar="M")
    parser.add_argument("--json", action="store_true", help="start/finish/results: JSON out")
    parser.add_argument(
        "--facilitator",
        action="store_true",
        help="once the drill ends, show the ground truth beside the participant's timeline",
    )
    sandbox = parser.add_argument_group("the drill sandbox")
    sandbox.add_argument("--items", type=_count, default=3000, help="lee-devices items")
    sandbox.add_argument(
        "--live-writes",
        type=_rate,
        default=6.0,
        metavar="PER_MINUTE",
        help="legitimate user writes the sandbox keeps making during the drill (0: none)",
    )
    sandbox.add_argument("--restore-seconds", type=_rate, default=15.0, metavar="SECONDS")


def run(args: argparse.Namespace, say: Say, config: Config) -> int:
    action = args.action or "play"

    def open_console(record: DrillRecord) -> int:
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
    code = run_console(Aws(settings, journal), config, mode)
    if finished_in_console(record):
        end_finished(record, say)
    else:
        say(f"Drill {record.incident} goes on: `lee-console drill open` returns to it.")
    return code


def running_drill(say: Say) -> DrillRecord:
    """The drill being played, or a one-line refusal saying how to start one."""
    record = current_drill(state_dir())
    if record is None:
        raise InvalidInput("No drill is running; `lee-console drill start` starts one.")
    if _sandbox_gone(record):
        _end(record, "gone", say)
        raise InvalidInput(
            f"The sandbox of drill {record.incident} is gone (its process ended); the drill "
            "was closed unscored. `lee-console drill start` starts a new one."
        )
    return record


def _start(args: argparse.Namespace, say: Say) -> DrillRecord:
    state = state_dir()
    requested = args.scenario or "random"
    if requested not in CHOICES:
        raise InvalidInput(f"Unknown scenario {requested!r}; choose one of: {', '.join(CHOICES)}.")
    participant = (args.participant or _user()).strip()
    if not participant or not participant.isprintable():
        raise InvalidInput("--participant needs a name of printable characters.")
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
    truth = drill_truth_file(state)
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


def drill_truth(record: DrillRecord) -> DrillTruth:
    try:
        return DrillTruth.from_json(read_truth(record))
    except (OSError, ValueError) as error:
        raise InvalidInput(
            f"Cannot read the drill's ground truth {record.truth_path} ({error}); "
            "`lee-console drill start` starts a new drill."
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
    truth = drill_truth(record)
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
    results = ranked(saved_results(), args.participant)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    if not results:
        who = f" for {args.participant}" if args.participant else ""
        print(f"No drill results{who} yet.", file=sys.stderr)
        return 0
    print(results_table(results))
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
    sandbox = running_sandbox(state)
    if sandbox is not None and sandbox.pid == record.sandbox_pid:
        stop_sandbox(state)
    state_now = incident_state(journals_dir(state), record.incident)
    if why != "finished" and state_now is not None and state_now.closed_at is None:
        end_drill_incident(journals_dir(state), record.incident, why, say)
    forget_drill(state)


def _sandbox_gone(record: DrillRecord) -> bool:
    sandbox = running_sandbox(state_dir())
    return sandbox is None or sandbox.pid != record.sandbox_pid


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "participant"


def _seed(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) < 2**31):
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed: give 0 to {2**31 - 1}")
    return int(text)


def _minutes(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 24 * 60):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes from 1 to 1440")
    return int(text)


def _count(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 1_000_000):
        raise argparse.ArgumentTypeError(f"{text!r} is not a count from 1 to 1000000")
    return int(text)


def _rate(text: str) -> float:
    try:
        value = float(text) if text.isascii() and "_" not in text else float("nan")
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 3600:  # refuses nan and inf too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 3600")
    return value
