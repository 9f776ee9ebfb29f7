"""Find the last good point over AWS: restore probe tables at the search's points, check each
with the integrity rules (a full scan), delete it, and narrow the window (core/findgood.py).

No probe table is left behind: each probe deletes its table in ``finally`` (waiting for it to
become ACTIVE, as DeleteTable refuses a table being restored), and a last sweep deletes any
probe that still exists, on success, error, cancel or Ctrl-C. Only when the operator abandons
the cleanup (``abandon`` set, e.g. a second Ctrl-C) or its deadline passes is a probe left;
the result and the journal (``probe`` events, deleted false) name it. Only tables this run
created are deleted: a probe whose restore failed because its name was taken (another
find-good run picked the same name) leaves that table alone (deleted null).

Journal: a ``probe-starting`` event before each probe's restore is sent (table, target,
restore_point, round, search_id, source_arn, pid, host), so that a run killed before its
cleanup leaves probes the next run can find (aws/probe_tables.py), and one ``probe`` event per
probe once it is done with (table, restore_point, target, round, good, violations, items,
deleted, error, search_id). The restores and deletes are journaled as AWS calls by the
session's hooks. No printing here: callers get ``on_probe`` updates.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from lee_console.aws.dashboard import history_events, past_restores
from lee_console.aws.errors import failure_text, translate
from lee_console.aws.findgood_plan import estimate_search as estimate_search
from lee_console.aws.findgood_plan import restores_in_flight as restores_in_flight
from lee_console.aws.probe_tables import (
    CLEANUP_DEADLINE_SECONDS,
    DEFAULT_POLL_SECONDS,
    delete_probe_table,
    running_search,
)
from lee_console.aws.restore import start_restore, wait_for_restore
from lee_console.aws.scan import DEFAULT_SEGMENTS
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_table_raw, list_table_names
from lee_console.aws.verify import check_table, describe_shape
from lee_console.core.errors import (
    InvalidInput,
    LeeError,
    ReadOnlyRefused,
    TargetTableExists,
)
from lee_console.core.estimate import (
    POLL_FLOOR_SECONDS,
    estimate_restore_duration,
    next_poll_seconds,
)
from lee_console.core.findgood import (
    GoodPointSearch,
    Probe,
    SearchResult,
    check_parallel,
    probe_name,
)
from lee_console.core.journal import Kind
from lee_console.core.names import suggest_free_name
from lee_console.core.restore import RestoreKind, RestoreRequest
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc
from lee_console.store.processes import this_process


@dataclass(frozen=True)
class ProbeUpdate:
    """A probe changed phase: restoring, checking, checked, deleted, left, failed."""

    probe: Probe
    phase: str

    def line(self) -> str:
        point = format_utc(self.probe.point)
        head = f"[round {self.probe.round}] probe {point} ({self.probe.target})"
        if self.phase == "checked":
            verdict = "GOOD" if self.probe.good else "BAD"
            count = f"{self.probe.violations} of {self.probe.items}"
            return f"{head}: {verdict}, {count} items break the rules"
        if self.phase == "failed":
            return f"{head}: failed: {self.probe.error}"
        if self.phase == "left":
            command = f"aws dynamodb delete-table --table-name {self.probe.target}"
            return f"{head}: NOT deleted; delete it yourself: {command}"
        return f"{head}: {self.phase}"


OnProbe = Callable[[ProbeUpdate], None]


def find_good_point(
    aws: Aws,
    table: str,
    rules: RuleSet,
    *,
    precision: timedelta,
    parallel: int = 1,
    adaptive: bool = False,
    window: tuple[datetime, datetime] | None = None,
    on_probe: OnProbe | None = None,
    cancelled: threading.Event | None = None,
    abandon: threading.Event | None = None,
    poll_seconds: float | None = None,
    restore_seconds: float | None = None,
    deadline_seconds: float = CLEANUP_DEADLINE_SECONDS,
    segments: int = DEFAULT_SEGMENTS,
) -> SearchResult:
    """Search ``table``'s PITR window (``window``: earliest, latest; default: read now) for
    the latest point whose restore passes ``rules``, to ``precision``, ``parallel`` probes per
    round (``adaptive``: only as many each round as still reach the planned rounds).
    ``cancelled`` stops after the running probes (they are still cleaned up); the result
    then has complete false. Errors are raised after every probe is cleaned up.

    Polling: every ``poll_seconds`` when given; else from the expected restore time
    (``restore_seconds``, default core.estimate's estimate from past restores and the table's
    size; once probes of this run have finished restoring, their mean): sparse while the end
    is far, dense near it (core.estimate.next_poll_seconds)."""
    if rules.empty:
        raise InvalidInput(
            f"find-good needs integrity rules for {table} to tell good from bad: pass --rules."
        )
    check_parallel(parallel, restores_in_flight(aws))
    if window is None:
        _, earliest, latest = estimate_search(aws, table, precision, parallel)
    else:
        earliest, latest = window
    search = GoodPointSearch(table, earliest, latest, precision, parallel, adaptive)
    description = describe_table_raw(aws, table)
    if poll_seconds is None and restore_seconds is None:
        size = int(description.get("TableSizeBytes", 0))
        history = past_restores(history_events(aws))
        restore_seconds = estimate_restore_duration(size, history).seconds
    run = _ProbeRunner(aws, table, rules, on_probe, cancelled, abandon, poll_seconds,
                       deadline_seconds, segments)  # fmt: skip
    run.expected = restore_seconds or DEFAULT_POLL_SECONDS
    run.source_arn = str(description.get("TableArn") or "") or None
    with running_search(run.search_id):
        try:
            _search(search, run)
        finally:
            run.sweep()
    return search.result(left_behind=tuple(sorted(run.left)))


def new_search_id(now: datetime | None = None) -> str:
    """fg-<UTC second>-<6 hex>: names one find-good run in the journal."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"fg-{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def _search(search: GoodPointSearch, run: _ProbeRunner) -> None:
    """Round after round until the search is done, stopped, or a probe failed."""
    while not run.stop.is_set():
        points = search.next_probes()
        if not points:
            break
        for probe in run.round(points, search.rounds):
            if probe.good is not None:
                search.record(probe.point, probe.good, probe)
        if run.error is not None:
            raise run.error
        if search.pending:  # a probe was cancelled: the round is incomplete
            break


class _ProbeRunner:
    def __init__(
        self,
        aws: Aws,
        table: str,
        rules: RuleSet,
        on_probe: OnProbe | None,
        cancelled: threading.Event | None,
        abandon: threading.Event | None,
        poll_seconds: float | None,
        deadline_seconds: float,
        segments: int,
    ) -> None:
        self.aws, self.table, self.rules = aws, table, rules
        self.on_probe = on_probe
        self.stop = cancelled or threading.Event()
        self.abandon = abandon or threading.Event()
        self.fixed_poll, self.deadline, self.segments = poll_seconds, deadline_seconds, segments
        self.expected = DEFAULT_POLL_SECONDS  # one restore's expected seconds
        self.restored: list[float] = []  # this run's restore durations, seconds
        self.search_id = new_search_id()
        self.source_arn: str | None = None
        self.created: set[str] = set()
        self.left: set[str] = set()
        self.error: Exception | None = None
        self._lock = threading.Lock()

    def round(self, points: list[datetime], number: int) -> list[Probe]:
        existing = set(list_table_names(self.aws))
        probes = []
        for point in points:
            name = probe_name(self.table, point)
            if name in existing:
                name = suggest_free_name(name, existing)
            existing.add(name)
            probes.append(Probe(point, number, name))
        pool = ThreadPoolExecutor(max_workers=len(probes), thread_name_prefix="probe")
        futures: list[Future[Probe]] = [pool.submit(self.probe, p) for p in probes]
        try:
            return [future.result() for future in futures]
        except KeyboardInterrupt:  # Ctrl-C in this thread: stop, clean up, then re-raise
            self.stop.set()
            while True:
                try:
                    wait(futures)
                    break
                except KeyboardInterrupt:  # again: leave the probes, say which
                    self.abandon.set()
            raise
        finally:
            pool.shutdown(wait=True)

    def probe(self, probe: Probe) -> Probe:
        """Restore, check and delete one probe (in a worker thread); never raises."""
        try:
            probe = self._restore_and_check(probe)
        except Exception as error:
            doing = f"probe {self.table} at {format_utc(probe.point)}"
            translated = translate(error, doing)
            probe = replace(probe, error=failure_text(error, doing))
            with self._lock:
                self.error = self.error or translated
            self.stop.set()
            self._tell(probe, "failed")
        with self._lock:
            ours = probe.target in self.created
        if ours:  # never a table this run did not create (deleted stays None)
            probe = replace(probe, deleted=self.delete(probe.target))
            self._tell(probe, "deleted" if probe.deleted else "left")
        self._journal(probe)
        return probe

    def _restore_and_check(self, probe: Probe) -> Probe:
        self._tell(probe, "restoring")
        request = RestoreRequest(
            RestoreKind.POINT_IN_TIME, self.table, probe.target, restore_point=probe.point
        )
        self._journal_start(probe)  # before the table can exist: a kill leaves it findable
        try:
            start_restore(self.aws, request)
        except Exception as error:
            # The call may have reached AWS; not when the name was taken (by another find-good
            # run, say: that table is its own) or the read-only guard stopped it.
            if not isinstance(error, TargetTableExists | ReadOnlyRefused):
                self._adopt_if_ours(probe.target)
            raise
        with self._lock:
            self.created.add(probe.target)
        begin = time.monotonic()
        progress = wait_for_restore(
            self.aws,
            probe.target,
            deadline_seconds=self.deadline,
            poll_seconds=self.poll,
            cancelled=self.stop,
            started=begin,
            poll_after=None if self.fixed_poll is not None else self._poll_after,
        )
        if not progress.done:  # cancelled while restoring
            return probe
        with self._lock:
            self.restored.append(time.monotonic() - begin)
        self._tell(probe, "checking")
        shape = describe_shape(self.aws, probe.target)
        checked = check_table(
            self.aws,
            probe.target,
            self.rules,
            shape.key_names,
            now=datetime.now(UTC),
            segments=self.segments,
        )
        probe = replace(
            probe, good=checked.passed, violations=checked.violating_items, items=checked.items
        )
        self._tell(probe, "checked")
        return probe

    @property
    def poll(self) -> float:
        """The fixed interval, or (deleting, waiting for ACTIVE) a twentieth of a restore."""
        if self.fixed_poll is not None:
            return self.fixed_poll
        return min(DEFAULT_POLL_SECONDS, max(POLL_FLOOR_SECONDS, self.expected / 20))

    def _poll_after(self, elapsed: float) -> float:
        with self._lock:  # the probes this run restored say more than any estimate
            done = list(self.restored)
        expected = sum(done) / len(done) if done else self.expected
        return next_poll_seconds(elapsed, expected)

    def _adopt_if_ours(self, name: str) -> None:
        """A restore whose call failed may still have created the probe: clean it up only if
        it is a restore of this table (never delete a table someone else made)."""
        try:
            summary = describe_table_raw(self.aws, name).get("RestoreSummary") or {}
        except LeeError:
            return
        if str(summary.get("SourceTableArn", "")).endswith(f"/{self.table}"):
            with self._lock:
                self.created.add(name)

    def delete(self, name: str) -> bool:
        """Delete the probe table ``name`` (aws/probe_tables.py). False: left."""
        gone = delete_probe_table(self.aws, name, poll_seconds=self.poll,
                                  deadline_seconds=self.deadline, abandon=self.abandon)  # fmt: skip
        with self._lock:
            if gone:
                self.created.discard(name)
                self.left.discard(name)
            else:
                self.left.add(name)
        return gone

    def sweep(self) -> None:
        """Delete any probe table that still exists (a probe interrupted before its finally)."""
        with self._lock:
            remaining = sorted(self.created)
        for name in remaining:
            if self.delete(name) and self.aws.journal is not None:  # its probe event said left
                self.aws.journal.append(
                    Kind.PROBE, table=self.table, target=name, search_id=self.search_id,
                    deleted=True, swept=True,
                )  # fmt: skip

    def _tell(self, probe: Probe, phase: str) -> None:
        if self.on_probe is not None:
            self.on_probe(ProbeUpdate(probe, phase))

    def _journal_start(self, probe: Probe) -> None:
        if self.aws.journal is not None:
            self.aws.journal.append(
                Kind.PROBE_STARTING,
                table=self.table,
                target=probe.target,
                restore_point=format_utc(probe.point),
                round=probe.round,
                search_id=self.search_id,
                source_arn=self.source_arn,
                **this_process(),
            )

    def _journal(self, probe: Probe) -> None:
        if self.aws.journal is not None:
            self.aws.journal.append(
                Kind.PROBE, table=self.table, search_id=self.search_id, **probe.to_json()
            )
