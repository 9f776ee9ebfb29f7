"""The drill sandbox from the command line: `--sandbox` (started once, kept running between
launches, with a drill incident of its own) and `sandbox serve | stop | status`. Only a process
is started here (sandbox_process.py); `sandbox serve` imports the sandbox itself, lazily."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from lee_console.commands.incident_choice import end_drill_incident
from lee_console.core.errors import InvalidInput
from lee_console.sandbox_process import (
    ensure_sandbox,
    live_sandbox,
    record_incident,
    running_sandbox,
    stop_sandbox,
)
from lee_console.store.drill_truth import keep_drill_truth, sandbox_truth_path
from lee_console.store.drills import current_drill
from lee_console.store.incidents import DRILL, incident_state, journals_dir, new_incident_id
from lee_console.store.paths import state_dir

SANDBOX_SCENARIOS = ("none", "bad-deployment", "accidental-delete", "gradual-corruption")

Say = Callable[[str], None]


def sandbox_endpoint(args: argparse.Namespace, say: Say) -> tuple[str, str | None]:
    """The drill sandbox for --sandbox (the running one's scenario, else bad-deployment, unless
    --scenario says), started once and kept running between launches so that a relaunch can
    reattach to its restores; and its drill incident (a new one once the last was closed).
    Without --incident a sandbox that is replaced ends its incident."""
    if args.endpoint_url or args.profile:
        raise InvalidInput("--sandbox runs against a local sandbox: drop --endpoint-url/--profile.")
    drill = current_drill(state_dir())
    running = running_sandbox(state_dir())
    if drill is not None and running is not None and running.pid == drill.sandbox_pid:
        if args.scenario:
            raise InvalidInput(
                f"A drill is running ({drill.incident}) and --sandbox uses its sandbox: drop "
                "--scenario, or `lee-console drill finish` first."
            )
        return drill.endpoint_url, drill.incident
    # A relaunch without --scenario comes back to the running sandbox's tables, whatever its
    # scenario (a dropped SSH session must not cost the drill); only --scenario replaces it.
    recorded = live_sandbox(state_dir())
    scenario = args.scenario or (recorded.scenario if recorded else "bad-deployment")
    if scenario not in SANDBOX_SCENARIOS:
        raise InvalidInput(
            f"Unknown scenario {scenario!r}; choose one of: {', '.join(SANDBOX_SCENARIOS)}."
        )
    directory = journals_dir(state_dir())
    record, ended = ensure_sandbox(
        state_dir(),
        scenario,
        say,
        lambda: new_incident_id(directory, DRILL),
        sandbox_truth_path(state_dir()),
    )
    if ended is not None and ended.incident != record.incident:
        end_drill_incident(directory, ended.incident, "replaced", say)
    state = incident_state(directory, record.incident) if record.incident else None
    if not record.incident or (state is not None and state.closed_at is not None):
        record = record_incident(state_dir(), record, new_incident_id(directory, DRILL))
    keep_drill_truth(state_dir(), record.incident)
    return record.endpoint_url, record.incident


def sandbox_command(args: argparse.Namespace, say: Say) -> int:
    if args.sandbox_action == "stop":
        stopped = stop_sandbox(state_dir())
        say("Stopped the drill sandbox." if stopped else "No drill sandbox is running.")
        if stopped is not None:
            end_drill_incident(journals_dir(state_dir()), stopped.incident, "stopped", say)
        return 0
    if args.sandbox_action == "status":
        running = running_sandbox(state_dir())
        if running is None:
            say("No drill sandbox is running.")
            return 1
        print(f"{running.scenario} {running.endpoint_url} pid {running.pid}")
        return 0
    from lee_console.sandbox import options_from_args, serve

    return serve(options_from_args(args), sys.stdout)
