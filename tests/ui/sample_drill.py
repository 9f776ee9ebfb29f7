"""A fixed drill for the screenshots: ann plays the bad-deployment drill, paged at 11:47:00 (five
minutes before the sample data's 11:52:00) about the deployment of 11:23:00; her score card
(built from core objects, as drill finish would from the journal and the sandbox) is a good
recovery that lost a few writes and took a hint."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sample_source import BAD_DEPLOY

from lee_console.aws.drill_finish import FinishedDrill
from lee_console.core.drill.card import card_json, facilitator_timeline
from lee_console.core.drill.score import AppState, DrillInfo, score_drill
from lee_console.core.drill.truth import DrillTruth
from lee_console.core.journal import Kind
from lee_console.core.report.facts import (
    Cutover,
    IncidentFacts,
    Restore,
    SettingsApplied,
    Verification,
)
from lee_console.store.drills import DrillRecord
from lee_console.store.journal_file import Journal
from lee_console.ui.drill.mode import DrillMode

PAGE = datetime(2025, 2, 14, 11, 47, tzinfo=UTC)
FINISHED = datetime(2025, 2, 14, 12, 21, 40, tzinfo=UTC)
POINT = BAD_DEPLOY - timedelta(minutes=1)
RESTORED = "lee-devices-restored-20250214T112200Z"
INCIDENT = "drill-20250214T114700Z-5a1c"
SYMPTOMS = (
    "Support tickets since about 11:35 UTC: devices show a state the app cannot display "
    "('unknown') and 'last updated: Invalid date'.",
    "Users say the changes they make in the app still save.",
)

RECORD = DrillRecord(
    incident=INCIDENT,
    scenario="bad-deployment",
    requested="random",
    seed=42,
    participant="ann",
    rto_minutes=60,
    started_at="2025-02-14T11:47:00Z",
    endpoint_url="http://127.0.0.1:45123",
    sandbox_pid=0,
    truth_path="/nonexistent/drill-live.json",
)
MODE = DrillMode(RECORD, SYMPTOMS, facilitator=True)


def drill_journal() -> Journal:
    """The drill's incident journal (declared, as drill start leaves it), in a folder of its
    own: the header names the drill's incident."""
    journal = Journal(Path(tempfile.mkdtemp(prefix="lee-snap-")) / "journals", INCIDENT)
    journal.append(Kind.INCIDENT_DECLARED, table="lee-devices")
    return journal


def _at(minutes: float) -> datetime:
    return PAGE + timedelta(minutes=minutes)


def _device(number: int) -> str:
    return f"dev-{number:05d}"


def _truth() -> DrillTruth:
    writes = [(3, "2025-02-14T11:22:20.000Z"), (4, "2025-02-14T11:22:41.000Z"),
              (5, "2025-02-14T11:30:02.000Z"), (6, "2025-02-14T11:41:17.000Z")]  # fmt: skip
    data: dict[str, Any] = {
        "scenario": "bad-deployment",
        "table": "lee-devices",
        "damage_start": "2025-02-14T11:23:00Z",
        "damaged_keys": [{"device_id": _device(n)} for n in (1, 2)],
        "legit_keys_after": [{"device_id": _device(n)} for n in (5, 6)],
        "legit_writes_since": "2025-02-14T09:23:00Z",
        "legit_writes": [{"key": {"device_id": _device(n)}, "at": at} for n, at in writes],
        "seed": 42,
        "shape": "all",
        "share": 0.12,
        "expected": {_device(n): f"good{n}" for n in range(1, 9)},
        "damaged_digests": {_device(n): f"bad{n}" for n in (1, 2)},
        "brief": {"symptoms": list(SYMPTOMS), "detected_at": "2025-02-14T11:35:00Z"},
    }
    return DrillTruth.from_json(data)


def _facts() -> IncidentFacts:
    restore = Restore("lee-devices", RESTORED, POINT, "point-in-time", _at(6), 1,
                      finished_at=_at(13))  # fmt: skip
    check = Verification(RESTORED, "lee-devices", True, _at(16), 2, 0, (), None)
    applied = SettingsApplied(RESTORED, ("pitr", "ttl", "tags"), True, _at(19), 3)
    cutover = Cutover("repoint", "lee-devices", RESTORED, _at(24), 4, (), None, complete=True)
    return IncidentFacts(
        table="lee-devices",
        declared_at=_at(2),
        damage_start=BAD_DEPLOY,
        restores=(restore,),
        current=RESTORED,
        verifications=(check,),
        settings=(applied,),
        cutover=cutover,
        closed_at=FINISHED,
    )


def finished_drill() -> FinishedDrill:
    """The card drill finish would show: 93 of 100 (two writes lost, one hint)."""
    truth, facts = _truth(), _facts()
    info = DrillInfo(INCIDENT, "bad-deployment", "ann", 60, PAGE, 42)
    digests = {_device(n): f"good{n}" for n in range(1, 9)} | {_device(3): "old3",
                                                               _device(4): "old4"}  # fmt: skip
    card = score_drill(info, truth, facts, AppState(RESTORED, RESTORED, True, digests), 1,
                       FINISHED)  # fmt: skip
    timeline = facilitator_timeline(truth, facts, PAGE, [_at(9)])
    folder = Path("/home/ann/.local/share/lee-console/drills")
    return FinishedDrill(
        card,
        card_json(card, truth),
        timeline,
        folder / f"{INCIDENT}.json",
        folder / f"{INCIDENT}.md",
    )
