"""Probe tables a find-good run left behind: the run was killed (SIGKILL, a crash, a machine
that went away) between creating a probe and deleting it. Pure: a fold over the incident
journals; ``lee_console.aws.probe_tables`` checks the candidates against AWS and deletes them.

find-good journals ``probe-starting`` before it sends a probe's restore and ``probe`` once the
probe is done with (``deleted`` true: deleted; false: left; null: this run created no table,
its restore was refused). A probe journaled as starting and never as deleted (no ``probe``
event, or one with ``deleted`` false) is a candidate, wherever its deletion was journaled (a
rerun may journal into another incident). Whether its table still exists, is a restore of
the journaled source and is not the probe of a run still going is for the caller to check.

dr-test's scratch tables are found the same way (``DR_TEST``): ``drtest-starting`` before the
restore, ``drtest`` once done with, named TABLE-drtest-YYYYMMDDTHHMMSSZ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lee_console.core.drtest.point import is_scratch_name
from lee_console.core.findgood import is_probe_name
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.facts import int_field, str_field, time_field
from lee_console.core.timeparse import format_utc


@dataclass(frozen=True)
class ScratchUse:
    """Who makes the scratch tables: its journal kinds and how it names them."""

    purpose: str  # "find-good", "dr-test": the run that made the table, in messages
    starting: str  # the kind journaled before the restore is sent
    done: str  # the kind journaled once the table is done with
    named: Callable[[str, str], bool]  # (name, source table) -> named as this use names them


FIND_GOOD = ScratchUse("find-good", Kind.PROBE_STARTING, Kind.PROBE, is_probe_name)
DR_TEST = ScratchUse("dr-test", Kind.DRTEST_STARTING, Kind.DRTEST, is_scratch_name)
_USES = {use.purpose: use for use in (FIND_GOOD, DR_TEST)}


def scratch_use(purpose: str) -> ScratchUse:
    return _USES.get(purpose, FIND_GOOD)


@dataclass(frozen=True)
class StartedProbe:
    """A probe journaled as starting (its ``probe-starting`` event)."""

    incident: str  # the journal it was started in
    search_id: str
    table: str  # the source table
    target: str  # the probe table
    started_at: datetime
    restore_point: datetime | None = None
    source_arn: str | None = None
    pid: int | None = None  # the find-good process
    host: str | None = None
    purpose: str = FIND_GOOD.purpose  # which use made it (ScratchUse)

    def line(self) -> str:
        point = format_utc(self.restore_point) if self.restore_point else "an unrecorded point"
        return (
            f"{self.target} (a restore of {self.table} at {point}; {self.purpose} run "
            f"{self.search_id}, started {format_utc(self.started_at)}, incident {self.incident})"
        )

    @property
    def delete_command(self) -> str:
        return f"aws dynamodb delete-table --table-name {self.target}"

    def outcome(self, deleted: bool, error: str | None = None) -> dict[str, Any]:
        """The fields of the ``probe`` event that journals this probe's cleanup by a later run."""
        return {
            "table": self.table,
            "target": self.target,
            "restore_point": format_utc(self.restore_point) if self.restore_point else None,
            "search_id": self.search_id,
            "good": None,
            "deleted": deleted,
            "error": error,
            "leftover": True,
        }


def undeleted_probes(
    journals: Mapping[str, Iterable[JournalEvent]], use: ScratchUse = FIND_GOOD
) -> list[StartedProbe]:
    """Probes (of ``use``) journaled as starting (in any of ``journals``, by incident) and never
    journaled as deleted or as not created, oldest first. An event missing a field it needs is
    skipped."""
    started: dict[tuple[str, str], StartedProbe] = {}
    settled: set[tuple[str, str]] = set()
    settled_targets: set[str] = set()  # outcomes journaled without a search id
    for incident, events in journals.items():
        for event in events:
            if event.kind == use.starting:
                probe = _started(incident, event, use)
                if probe is not None:
                    started.setdefault((probe.search_id, probe.target), probe)
            elif event.kind == use.done and event.data.get("deleted") is not False:
                target = str_field(event.data, "target")
                if target is None:
                    continue
                search_id = str_field(event.data, "search_id")
                if search_id is None:
                    settled_targets.add(target)
                else:
                    settled.add((search_id, target))
    found = [
        probe
        for key, probe in started.items()
        if key not in settled and probe.target not in settled_targets
    ]
    return sorted(found, key=lambda p: (p.started_at, p.target))


def _started(incident: str, event: JournalEvent, use: ScratchUse) -> StartedProbe | None:
    data = event.data
    search_id, table, target = (str_field(data, k) for k in ("search_id", "table", "target"))
    if search_id is None or table is None or target is None:
        return None
    return StartedProbe(
        incident=incident,
        search_id=search_id,
        table=table,
        target=target,
        started_at=event.at,
        restore_point=time_field(data, "restore_point"),
        source_arn=str_field(data, "source_arn"),
        pid=int_field(data, "pid"),
        host=str_field(data, "host"),
        purpose=use.purpose,
    )


def is_that_probe(description: Mapping[str, Any], probe: StartedProbe) -> bool:
    """DescribeTable's ``Table`` (``description``) shows the probe's table: named as find-good
    names probes of its source, and a restore of that source (the journaled ARN when there is
    one, else a table of the source's name). Any other table is never deleted."""
    if description.get("TableName") != probe.target:
        return False
    if not scratch_use(probe.purpose).named(probe.target, probe.table):
        return False
    summary = description.get("RestoreSummary")
    if not isinstance(summary, Mapping):
        return False
    source = summary.get("SourceTableArn")
    if not isinstance(source, str):
        return False
    if probe.source_arn is not None:
        return source == probe.source_arn
    return source.endswith(f":table/{probe.table}")
