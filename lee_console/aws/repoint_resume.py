"""Interrupted repoints (core/repoint_runs.py), read against AWS and finished.

A repoint journals its plan (``cutover-started``) before its first write and its outcome
(``cutover``) after its last, so a process killed in between leaves a plan with no outcome.
What each planned reference holds now tells which writes landed, including one that landed
after the last record of its call. Finishing makes the rest of the plan's changes (each still
conditional on the reference holding the live table's name) and journals the ``cutover`` of the
same cutover id, naming the changes the killed run made as well, so that a rollback puts back
every reference the repoint moved.

    states = interrupted_states(aws, journal.events(), live="lee-devices")
    result = finish_repoint(aws, states[0])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lee_console.aws.repoint import (
    RepointResult,
    apply_changes,
    current_value,
    is_running_here,
    running,
)
from lee_console.aws.session import Aws
from lee_console.core.errors import InvalidInput
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.repoint import STRATEGY, ChangeResult
from lee_console.core.repoint_runs import (
    InterruptedRepoint,
    RepointState,
    assess,
    finished_fields,
    interrupted_repoints,
)
from lee_console.core.timeparse import format_utc
from lee_console.store.processes import alive_elsewhere


def still_running(run: InterruptedRepoint) -> bool:
    """The run is going on: a repoint of this process, or a live process on this host."""
    return is_running_here(run.cutover_id) or alive_elsewhere(run.pid, run.host)


def read_state(aws: Aws, run: InterruptedRepoint) -> RepointState:
    """What each reference the run planned to change holds now (reads only)."""
    current = {
        change.label: current_value(aws, change.kind, change.name, change.variable)
        for change in run.planned
    }
    return assess(run, current)


def interrupted_states(
    aws: Aws, events: Iterable[JournalEvent], live: str | None = None
) -> list[RepointState]:
    """The interrupted repoints (of ``live``, if given), latest first, each read against AWS.
    Refuses (InvalidInput) while one of them is still being made by a live process."""
    runs = [run for run in interrupted_repoints(events) if live is None or run.live == live]
    for run in runs:
        if still_running(run):
            where = f"pid {run.pid} on {run.host}" if run.pid else f"on {run.host or '?'}"
            raise InvalidInput(
                f"A repoint of {run.live} to {run.restored} (cutover {run.cutover_id}, started "
                f"{format_utc(run.started_at)}) is still under way ({where}): wait for it to "
                "finish, or stop that process first."
            )
    return [read_state(aws, run) for run in runs]


def finish_repoint(
    aws: Aws, state: RepointState, on_result: Callable[[ChangeResult], None] | None = None
) -> RepointResult:
    """Make the changes the interrupted run did not (each only while the reference still
    names the live table) and journal its ``cutover``: the changes it made and these."""
    run = state.run
    aws.reveal_in_journal(run.live, run.restored)
    with running(run.cutover_id):
        results = apply_changes(aws, state.left, on_result) if state.left else []
    if aws.journal is not None:
        aws.journal.append(
            Kind.CUTOVER,
            cutover_id=run.cutover_id,
            strategy=STRATEGY,
            live=run.live,
            restored=run.restored,
            **finished_fields(state, results),
        )
    earlier = [ChangeResult(c, "already", "changed by the interrupted run") for c in state.changed]
    others = state.other_results()
    return RepointResult(run.cutover_id, run.live, run.restored, earlier + results + others)
