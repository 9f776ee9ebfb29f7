"""A hand-corrupted journal crashes no reader: every event kind, with each of its fields given a
value of the wrong type or shape (a number for a table name, a list for a time, Infinity for a
count, a lone surrogate for a note...), is read by the report, the fold, the runbook, the
rollback and repair resumers, the in-flight and estimate readers, the incident list and the
CLI without an exception. A field the reader cannot use is "not recorded", never a fault.

The events are built in memory (``JournalEvent``) and, for the file readers, written as JSONL
lines exactly as a hand edit would leave them (``json.dumps`` of kind, at and the fields)."""

from __future__ import annotations

import json
import math
import os
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lee_console.aws.dashboard import past_restores
from lee_console.cli import main
from lee_console.core.estimate import RECORD_BYTES, estimate_restore_duration
from lee_console.core.inflight import in_flight_restores, unfinished_in_journal
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.pitr import PitrWindow, RestoreInfo, TableSummary
from lee_console.core.probe_leftovers import is_that_probe, undeleted_probes
from lee_console.core.repair import resume_state
from lee_console.core.repoint import pending_rollbacks
from lee_console.core.repoint_runs import assess, interrupted_repoints
from lee_console.core.report.build import build_report
from lee_console.core.report.fold import fold_incident
from lee_console.core.runbook import Runbook
from lee_console.core.settings_runs import interrupted_applies, resumed_fields, said
from lee_console.store import journal_file
from lee_console.store.incidents import incident_states
from lee_console.store.journal_file import read_journal

LIVE, RESTORED = "lee-devices", "lee-devices-r"
START = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
CHANGE = {"kind": "ssm", "name": "/app/table", "variable": None, "old": LIVE, "new": RESTORED}
KEY, OTHER_KEY = {"id": "dev-00042"}, {"id": "dev-00043"}

# One well-formed incident, every kind once, in the order the console journals them.
STORY: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        Kind.INCIDENT_DECLARED,
        {
            "table": LIVE,
            "damage_start": "2026-12-02T02:40:00Z",
            "detected_at": "2026-12-02T02:55:00Z",
            "rto_clock": "damage",
        },
    ),
    (Kind.NOTE, {"text": "devices show wrong states since the 02:40 deploy"}),
    (
        Kind.PROBE_STARTING,
        {
            "table": LIVE,
            "target": "lee-devices-probe-1",
            "restore_point": "2026-12-02T02:30:00Z",
            "round": 1,
            "search_id": "fg-1",
            "source_arn": "arn:aws:dynamodb:us-east-1:123456789012:table/lee-devices",
            "pid": 4242,
            "host": "bastion",
        },
    ),
    (
        Kind.PROBE,
        {
            "table": LIVE,
            "restore_point": "2026-12-02T02:30:00Z",
            "target": "lee-devices-probe-1",
            "round": 1,
            "good": True,
            "violations": 0,
            "items": 1200,
            "deleted": 0,
            "error": None,
            "search_id": "fg-1",
            "leftover": True,
        },
    ),
    (
        Kind.AWS_CALL,
        {
            "service": "dynamodb",
            "operation": "RestoreTableToPointInTime",
            "params": {"SourceTableName": LIVE, "TargetTableName": RESTORED},
            "cli": f"aws dynamodb restore-table-to-point-in-time --target-table-name {RESTORED}",
            "identity": "arn:aws:iam::123456789012:user/oncall",
        },
    ),
    (
        Kind.AWS_RESULT,
        {"service": "dynamodb", "operation": "RestoreTableToPointInTime", "status": 200},
    ),
    (
        Kind.AWS_ERROR,
        {
            "service": "dynamodb",
            "operation": "DescribeTable",
            "error_code": "ThrottlingException",
            "error_message": "Rate exceeded",
        },
    ),
    (Kind.AWS_REFUSED, {"operation": "DeleteTable", "reason": "--read-only"}),
    (Kind.RESTORE_FAILED, {"source": LIVE, "target": "lee-devices-r0", "error": "LimitExceeded"}),
    (
        Kind.RESTORE_STARTED,
        {
            "source": LIVE,
            "target": RESTORED,
            "restore_point": "2026-12-02T02:39:00Z",
            "restore_kind": "point-in-time",
        },
    ),
    (
        Kind.RESTORE_FINISHED,
        {
            "source": LIVE,
            "target": RESTORED,
            "restore_point": "2026-12-02T02:39:00Z",
            "duration_seconds": 900.5,
            "item_count": 1200,
            "source_size_bytes": 524_288_000,
            "finished_unobserved": False,
        },
    ),
    (
        Kind.VERIFIED,
        {
            "table": RESTORED,
            "against": LIVE,
            "passed": True,
            "counts": {RESTORED: 1200, LIVE: 1210},
            "violations": {"items": 0, "by_rule": {}, "against_items": 14},
            "diff": {"added": 3, "removed": 1, "changed": 20, "damaged": 14},
            "legit_writes_after": 10,
        },
    ),
    (
        Kind.SETTINGS_APPLYING,
        {
            "run_id": "s1",
            "source": LIVE,
            "target": RESTORED,
            "settings": ["pitr", "ttl"],
            "pid": 4242,
            "host": "bastion",
        },
    ),
    (
        Kind.SETTINGS_APPLIED,
        {
            "run_id": "s2",
            "source": LIVE,
            "target": RESTORED,
            "settings": ["pitr", "ttl"],
            "holds": True,
            "results": {"pitr": "holds", "ttl": "does-not-hold"},
            "errors": {"ttl": "AccessDenied"},
            "resumed": [
                {
                    "run_id": "s1",
                    "started_at": "2026-12-02T03:10:00Z",
                    "settings": ["pitr"],
                    "held": ["pitr"],
                },
            ],
        },
    ),
    (Kind.RUNBOOK_STEP, {"step": "settings", "state": "done", "reason": "by hand", "table": LIVE}),
    (Kind.OVERRIDE, {"step": "cutover", "typed": LIVE, "reason": "urgent", "target": RESTORED}),
    (Kind.DECISION, {"text": "repoint: the app tolerates the lost writes"}),
    (
        Kind.CUTOVER_STARTED,
        {
            "cutover_id": "c1",
            "strategy": "repoint",
            "live": LIVE,
            "restored": RESTORED,
            "planned": [CHANGE],
            "pid": 4242,
            "host": "bastion",
        },
    ),
    (
        Kind.CUTOVER,
        {
            "cutover_id": "c1",
            "strategy": "repoint",
            "live": LIVE,
            "restored": RESTORED,
            "changes": [CHANGE],
            "unchanged": [],
            "failed": [],
            "complete": True,
            "legit_writes_after": 10,
            "counts": {"damaged": 14},
        },
    ),
    (Kind.REPAIR_PLANNED, {"live": LIVE, "restored": RESTORED, "keys": [KEY, OTHER_KEY]}),
    (
        Kind.REPAIR_BATCH,
        {
            "live": LIVE,
            "restored": RESTORED,
            "batch": 1,
            "repaired": 1,
            "skipped": 1,
            "keys": [KEY],
            "skipped_keys": [{"key": OTHER_KEY, "reason": "changed since the diff"}],
        },
    ),
    (
        Kind.REPAIR_FINISHED,
        {
            "live": LIVE,
            "restored": RESTORED,
            "damaged": 2,
            "repaired": 1,
            "skipped": 1,
            "left": 0,
            "complete": True,
            "cancelled": False,
            "deleted_in_live": 0,
            "legit_writes_after": 10,
            "skipped_keys": [{"key": OTHER_KEY, "reason": "changed since the diff"}],
        },
    ),
    (
        Kind.CUTOVER_ROLLED_BACK,
        {
            "cutover_id": "c1",
            "live": LIVE,
            "restored": RESTORED,
            "changes": [CHANGE],
            "skipped": [{**CHANGE, "status": "conflict", "detail": "lee-devices-x"}],
            "failed": [],
            "complete": False,
        },
    ),
    (Kind.SERVICE_CONFIRMED, {"text": "app healthy", "occurred_at": "2026-12-02T03:50:00Z"}),
    (Kind.CLOSED, {"text": "done"}),
)
TEMPLATES = dict(STORY)
# The events every matrix journal keeps around the one it corrupts, so the report reaches its
# restore, verification, settings, cutover and recovery paths (a shorter fold, a faster test).
CORE = frozenset(
    {
        Kind.INCIDENT_DECLARED,
        Kind.RESTORE_STARTED,
        Kind.RESTORE_FINISHED,
        Kind.VERIFIED,
        Kind.CUTOVER,
        Kind.SERVICE_CONFIRMED,
    }
)
# Fields that tie an event to this incident: the "anchored" journal keeps them well-formed so
# that its events still count and the hostile values in their other fields reach the renderers.
ANCHORS = frozenset(
    {"source", "target", "table", "against", "live", "restored", "cutover_id", "strategy", "step"}
)


def _deep(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"a": [value]}
    return value


# Values json.loads can produce (so each is what a hand edit can leave in a file), for every
# field.
HOSTILE: dict[str, Any] = {
    "int": 5,
    "negative": -1,
    "true": True,
    "null": None,
    "infinity": math.inf,  # 1e309 in the file
    "nan": math.nan,
    "huge-int": 10**400,
    "word": "yesterday",
    "huge-text": "x" * 20_000,
    "surrogate": "\ud800",
    "far-future": "9999-12-31T23:59:59-23:59",
    "year-one": "0001-01-01T00:00:00Z",
    "list": ["x"],
    "list-of-null": [None],
    "nested": {"a": {"b": [1, {"c": None}]}},
}
# Wrong shapes inside the lists and dicts the console writes (changes, keys, counts...), for the
# fields that hold one.
SHAPED: dict[str, Any] = {
    "change-no-name": [{"kind": "ssm"}],
    "change-bad-kind": [{"kind": "s3", "name": "n", "variable": None, "old": "a", "new": "b"}],
    "change-nested": [{"kind": "lambda", "name": {"a": 1}, "variable": [1], "old": 1, "new": None}],
    "key-infinity": [{"id": math.inf}],
    "skipped-key-infinity": [{"key": {"id": math.inf}, "reason": 5}],
    "counts-infinity": {"items": math.inf, "added": math.inf, "damaged": math.nan, "a": [1]},
    "deep": _deep(100),
}
EVERY = {**HOSTILE, **SHAPED}

FIELDS = [
    (kind, name)
    for kind, data in STORY
    for name in dict.fromkeys([*data, "occurred_at", "finished_unobserved"])
    if name != "finished_unobserved" or kind == Kind.RESTORE_FINISHED
]


def values_for(kind: str, name: str) -> dict[str, Any]:
    shaped = isinstance(TEMPLATES[kind].get(name), list | dict)
    return EVERY if shaped else HOSTILE


def _event(index: int, kind: str, data: dict[str, Any]) -> JournalEvent:
    return JournalEvent(kind, START + timedelta(minutes=index), data)


def story(kind: str | None = None, **changed: Any) -> list[JournalEvent]:
    """The core of the well-formed incident and the event of ``kind``, with the fields
    ``changed`` in that event."""
    return [
        _event(i, k, {**data, **changed} if k == kind else dict(data))
        for i, (k, data) in enumerate(STORY)
        if k in CORE or k == kind
    ]


def full_story(value: Any, keep: frozenset[str] = frozenset()) -> list[JournalEvent]:
    """Every event of the incident, every field but those in ``keep`` set to ``value``."""
    return [
        _event(i, k, {n: v if n in keep else value for n, v in {**data, "occurred_at": 0}.items()})
        for i, (k, data) in enumerate(STORY)
    ]


def alone(kind: str, **changed: Any) -> list[JournalEvent]:
    """The event of ``kind`` by itself, with the fields ``changed``."""
    return [_event(0, kind, {**TEMPLATES[kind], **changed})]


def lines(events: Iterable[JournalEvent]) -> str:
    """The JSONL a hand edit leaves: one json.dumps per event, nothing else."""
    return "".join(
        json.dumps({"kind": e.kind, "at": e.at.isoformat(), **e.data}) + "\n" for e in events
    )


# ---- the readers


def _report(events: list[JournalEvent]) -> None:
    report = build_report(events, 60, None, incident="x")
    report.to_markdown()
    report.to_json()


def _report_dict(events: list[JournalEvent]) -> None:
    """build_report, to_markdown and to_json's dict, encoded without indent (the C encoder:
    the same failures as to_json, in a fraction of the time)."""
    report = build_report(events, 60, None, incident="x")
    report.to_markdown()
    json.dumps(report.to_dict())


def _runbook(book: Runbook) -> None:
    _ = book.next_action, book.complete, book.override_phrase
    _ = [(step.state, step.evidence) for step in book.steps]


_TABLE = TableSummary(
    name=RESTORED,
    status="ACTIVE",
    item_count=1200,
    size_bytes=RECORD_BYTES,
    deletion_protection=False,
    billing_mode="PAY_PER_REQUEST",
    pitr=PitrWindow(enabled=False),
    restore=RestoreInfo(in_progress=False, restore_point=None),
)

Reader = Callable[[list[JournalEvent]], object]
READERS: dict[str, Reader] = {
    "build_report": _report,
    "fold_incident": fold_incident,
    "Runbook.from_events": lambda events: _runbook(Runbook.from_events(events)),
    "Runbook.from_events(table)": lambda events: _runbook(Runbook.from_events(events, LIVE)),
    "pending_rollbacks": pending_rollbacks,
    "resume_state": lambda events: resume_state(events, LIVE, RESTORED),
    "unfinished_in_journal": unfinished_in_journal,
    "in_flight_restores": lambda events: in_flight_restores([_TABLE], events),
    "past_restores+estimate": lambda events: estimate_restore_duration(
        RECORD_BYTES, past_restores(events)
    ).describe(),
    "interrupted_repoints+assess": lambda events: [
        (assess(run, {}).summary(), assess(run, {}).offer()) for run in interrupted_repoints(events)
    ],
    "interrupted_applies+said": lambda events: [
        (said(run, []), resumed_fields([run], [])) for run in interrupted_applies(events)
    ],
    "undeleted_probes+line": lambda events: [
        (p.line(), p.outcome(True), is_that_probe({"TableName": p.target}, p))
        for p in undeleted_probes({"x": events})
    ],
}
# For the matrix (some two thousand journals), to_json without its indent; and in the longer
# story journals the fold's own crashes already show in build_report, and the table argument
# changes nothing while the declared table is the live one: left out for speed.
ALONE_READERS = {
    name: _report_dict if name == "build_report" else reader for name, reader in READERS.items()
}
STORY_READERS = {
    name: reader
    for name, reader in ALONE_READERS.items()
    if name not in ("fold_incident", "Runbook.from_events(table)")
}


def where(error: BaseException) -> str:
    """``Type: message at lee_console/file.py:line`` (the innermost frame in the package)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "lee_console" in f.filename]
    place = "?"
    if frames:
        path = frames[-1].filename
        place = f"{path[path.rindex('lee_console') :]}:{frames[-1].lineno}"
    return f"{type(error).__name__}: {str(error)[:100]} at {place}"


def crashes(
    label: str, events: list[JournalEvent], readers: dict[str, Reader] = READERS
) -> list[str]:
    found = []
    for name, reader in readers.items():
        try:
            reader(events)
        except Exception as error:
            found.append(f"{label}: {name}: {where(error)}")
    return found


def no_crash(found: list[str]) -> None:
    """Fail with one line per crash (no traceback: each line says where it was raised)."""
    if found:
        pytest.fail(f"{len(found)} crashes:\n" + "\n".join(found), pytrace=False)


# ---- every kind, every field, every hostile value


@pytest.mark.parametrize(("kind", "name"), FIELDS, ids=[f"{k}.{n}" for k, n in FIELDS])
def test_no_reader_crashes_on_a_hostile_field(kind: str, name: str) -> None:
    found = []
    for label, value in values_for(kind, name).items():
        found += crashes(f"{name}={label} alone", alone(kind, **{name: value}), ALONE_READERS)
        found += crashes(f"{name}={label} in a story", story(kind, **{name: value}), STORY_READERS)
    no_crash(found)


@pytest.mark.parametrize("label", list(EVERY))
def test_no_reader_crashes_when_every_field_is_hostile(label: str) -> None:
    value = EVERY[label]
    found = crashes("every field", full_story(value))
    found += crashes("every field but the anchors", full_story(value, ANCHORS))
    no_crash(found)


# ---- the same lines, from files


@pytest.fixture
def warnings() -> Iterator[list[str]]:
    seen: list[str] = []
    journal_file.set_warning_sink(seen.append)
    yield seen
    journal_file.set_warning_sink(None)


def _same(events: list[JournalEvent]) -> list[str]:
    return [json.dumps([e.kind, e.at.isoformat(), e.data], sort_keys=True) for e in events]


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_journal_files_with_hostile_fields_are_read_whole(
    tmp_path: Path, kind: str, warnings: list[str]
) -> None:
    """Every line is an event (a JSON object with kind and at): the file readers skip only
    those holding text that is not valid Unicode (a lone surrogate escape), each with a
    warning, read back exactly the rest, and list every journal. One journal per field, holding
    the story once per hostile value."""
    found: list[str] = []
    expected: dict[str, int] = {}
    skipped = 0
    for name in [n for k, n in FIELDS if k == kind]:
        events = [e for v in values_for(kind, name).values() for e in story(kind, **{name: v})]
        path = tmp_path / f"{name}.jsonl"
        path.write_text(lines(events), encoding="utf-8")
        kept = [e for e in events if _unicode(e)]
        expected[name] = len(kept)
        skipped += len(events) - len(kept)
        try:
            assert _same(list(read_journal(path))) == _same(kept), "not read back as written"
        except Exception as error:
            found.append(f"{name}: read_journal: {where(error)}")
    try:
        assert {s.incident: s.events for s in incident_states(tmp_path)} == expected
    except Exception as error:
        found.append(f"incident_states: {where(error)}")
    no_crash(found)
    assert len(warnings) == skipped
    assert all("not valid Unicode" in w for w in warnings)


def _unicode(event: JournalEvent) -> bool:
    try:
        json.dumps(event.data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ---- times: "at" itself, and a line too deeply nested to parse

# Valid ISO-8601 with a zone (JournalEvent.from_line takes them), at the edges of datetime.
HOSTILE_AT = {
    "far-future": "9999-12-31T23:59:59-23:59",
    "far-past": "0001-01-01T00:00:00+23:59",
    "year-one": "0001-01-01T00:00:00Z",
}


def _at_lines(at: str) -> str:
    """The whole story's lines with every event's "at" replaced."""
    return "".join(json.dumps({"kind": kind, "at": at, **data}) + "\n" for kind, data in STORY)


@pytest.mark.parametrize("label", list(HOSTILE_AT))
def test_no_reader_crashes_on_a_time_at_the_edge_of_the_calendar(
    tmp_path: Path, label: str, warnings: list[str]
) -> None:
    path = tmp_path / "inc.jsonl"
    path.write_text(_at_lines(HOSTILE_AT[label]), encoding="utf-8")
    events = list(read_journal(path))
    assert events == []  # no journal holds such a time: every line is skipped, with a warning
    assert len(warnings) == len(STORY)
    assert all('"at" is not a time a journal can hold' in w for w in warnings)
    found = crashes(f"at={label}", events)
    for field_name in ("damage_start", "detected_at", "occurred_at", "restore_point"):
        hostile = [
            _event(i, k, {**d, field_name: HOSTILE_AT[label]}) for i, (k, d) in enumerate(STORY)
        ]
        found += crashes(f"{field_name}={label}", hostile)
    try:
        incident_states(tmp_path)
    except Exception as error:
        found.append(f"at={label}: incident_states: {where(error)}")
    no_crash(found)


DEEP_TEXT = "[" * 100_000 + "]" * 100_000
DEEP_LINE = '{"kind": "note", "at": "2026-12-02T03:00:00Z", "text": ' + DEEP_TEXT + "}"


def test_a_line_nested_too_deep_to_parse_is_skipped(tmp_path: Path, warnings: list[str]) -> None:
    path = tmp_path / "inc.jsonl"
    path.write_text(lines(story()) + DEEP_LINE + "\n" + lines(story()), encoding="utf-8")
    found = []
    for name, read in (
        ("read_journal", lambda: len(list(read_journal(path)))),
        ("incident_states", lambda: incident_states(tmp_path)[0].events),
    ):
        try:
            assert read() == 2 * len(CORE)
        except Exception as error:
            found.append(f"{name}: {where(error)}")
    no_crash(found)


# ---- the CLI, in-process


@pytest.fixture
def journals(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No real credentials, profile, config or state dir (tests/cli/conftest.py's hermetic);
    returns the state dir's journals folder."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    home = tmp_path / "aws-home"
    home.mkdir()
    (home / "config").write_text("")
    (home / "credentials").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("LEE_CONSOLE_CONFIG", str(tmp_path / "lee-config" / "config.toml"))
    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(tmp_path / "lee-state"))
    directory = tmp_path / "lee-state" / "journals"
    directory.mkdir(parents=True)
    return directory


def cli_faults(journals: Path, capsys: pytest.CaptureFixture[str], *argvs: list[str]) -> list[str]:
    """The commands that did not exit 0 cleanly (pytest's capture, like a terminal, is strict
    UTF-8), each with the innermost lee_console frame of the traceback in the fault log."""
    log = journals.parent / "lee-console.log"
    found = []
    for argv in argvs:
        capsys.readouterr()
        code = main(argv)
        out, err = capsys.readouterr()
        assert isinstance(code, int)
        if code != 0 or "internal error" in err or "Traceback" in out + err:
            logged = log.read_text(encoding="utf-8") if log.exists() else ""
            frames = re.findall(r'File "[^"]*?(lee_console/[^"]+)", line (\d+)', logged)
            place = ":".join(frames[-1]) if frames else "?"
            fault = re.search(r"internal error \((\w+)\)", err)
            said = fault.group(1) if fault else err.strip()[-100:]
            found.append(f"{' '.join(argv)}: exit {code}: {said} at {place}")
            log.unlink(missing_ok=True)
    return found


REPORT = (["report", "inc"], ["report", "inc", "--format", "json"])
LIST = (["incident", "list"], ["incident", "list", "--json"])


@pytest.mark.parametrize("label", list(HOSTILE))
def test_the_cli_reports_and_lists_journals_with_hostile_fields(
    journals: Path, capsys: pytest.CaptureFixture[str], label: str
) -> None:
    """inc: every field but the anchors hostile (the report reaches its renderers); all: every
    field hostile, the declared table too (for the list)."""
    (journals / "inc.jsonl").write_text(lines(full_story(HOSTILE[label], ANCHORS)), "utf-8")
    (journals / "all.jsonl").write_text(lines(full_story(HOSTILE[label])), "utf-8")
    found = cli_faults(journals, capsys, *REPORT, ["incident", "list"])
    no_crash(found)


@pytest.mark.parametrize("label", list(HOSTILE_AT))
def test_the_cli_reports_and_lists_a_journal_at_the_edge_of_the_calendar(
    journals: Path, capsys: pytest.CaptureFixture[str], label: str
) -> None:
    (journals / "inc.jsonl").write_text(_at_lines(HOSTILE_AT[label]), encoding="utf-8")
    found = cli_faults(journals, capsys, *REPORT, *LIST)
    no_crash(found)


def test_the_cli_prints_a_report_and_a_list_holding_a_lone_surrogate(
    journals: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A \\ud800 escape in a note and in the declared table: valid JSON, not encodable."""
    (journals / "inc.jsonl").write_text(lines(story(Kind.NOTE, text="\ud800")), "utf-8")
    declared = alone(Kind.INCIDENT_DECLARED, table="lee-devices\ud800")
    (journals / "other.jsonl").write_text(lines(declared), "utf-8")
    found = cli_faults(journals, capsys, *REPORT, *LIST)
    no_crash(found)


def test_the_cli_reports_and_lists_a_journal_with_a_line_nested_too_deep(
    journals: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (journals / "inc.jsonl").write_text(lines(story()) + DEEP_LINE + "\n", encoding="utf-8")
    found = cli_faults(journals, capsys, *REPORT, *LIST)
    no_crash(found)
