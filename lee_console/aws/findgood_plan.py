"""find-good's plan over AWS: the window, the table's size, the restores already running and
the restore-duration estimate, turned into a ``SearchEstimate`` (core/findgood_plan.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from lee_console.aws.dashboard import history_events, past_restores
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_pitr, describe_table_raw, list_table_names
from lee_console.core.errors import PitrUnavailable, TableNotFound
from lee_console.core.estimate import estimate_restore_duration
from lee_console.core.findgood import precision_step, window_length
from lee_console.core.findgood_plan import (
    DEFAULT_PROBE_BUDGET,
    SearchEstimate,
    choose_parallel,
    fixed_parallel,
    planned_probes,
)

_DESCRIBE_WORKERS = 8


def restores_in_flight(aws: Aws) -> int:
    """Tables being restored now (DescribeTable's RestoreSummary.RestoreInProgress)."""

    def restoring(name: str) -> bool:
        try:
            summary = describe_table_raw(aws, name).get("RestoreSummary") or {}
        except TableNotFound:  # deleted since the listing
            return False
        return bool(summary.get("RestoreInProgress"))

    with ThreadPoolExecutor(max_workers=_DESCRIBE_WORKERS) as pool:
        return sum(pool.map(restoring, list_table_names(aws)))


def estimate_search(
    aws: Aws,
    table: str,
    precision: timedelta,
    parallel: int | None = None,
    probe_budget: int = DEFAULT_PROBE_BUDGET,
    in_flight: int | None = None,
) -> tuple[SearchEstimate, datetime, datetime]:
    """The plan, its cost and duration, and the window (earliest, latest) it searches.
    ``parallel`` None: chosen (the fewest rounds within ``probe_budget`` and the restores free
    beside ``in_flight``, read from AWS when None); else that many probes every round."""
    description = describe_table_raw(aws, table)
    window = describe_pitr(aws, table)
    if not window.enabled or window.earliest is None or window.latest is None:
        raise PitrUnavailable(
            f"Point-in-time recovery is not enabled on {table}: there is no window to search."
        )
    size = int(description.get("TableSizeBytes", 0))
    duration = estimate_restore_duration(size, past_restores(history_events(aws)))
    length = window_length(window.earliest, window.latest)
    step = precision_step(precision)
    if parallel is None:
        running = restores_in_flight(aws) if in_flight is None else in_flight
        choice = choose_parallel(length, step, running, probe_budget)
    else:
        choice = fixed_parallel(length, step, parallel)
    estimate = SearchEstimate(
        table=table,
        size_bytes=size,
        rounds=choice.rounds,
        probes_per_round=choice.k,
        restore_seconds=duration.seconds,
        basis=duration.basis,
        probes=choice.probes,
        reason=choice.reason,
        adaptive=choice.adaptive,
        sequential=planned_probes(length, step, 1, adaptive=False),
    )
    return estimate, window.earliest, window.latest
