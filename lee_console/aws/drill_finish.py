"""The end of a drill: what the application reads now (the SSM parameter, the Lambda variable,
that table's PITR and the digest of every item), scored against the ground truth. Items are
read to be hashed, never kept: only their digests and device ids reach the score card."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from lee_console.aws.repoint import current_value
from lee_console.aws.scan import scan_items
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_pitr, describe_table_raw
from lee_console.core.diff import item_hash
from lee_console.core.drill.card import (
    Moment,
    card_json,
    card_markdown,
    facilitator_timeline,
)
from lee_console.core.drill.score import AppState, DrillInfo, ScoreCard, score_drill
from lee_console.core.drill.truth import DrillTruth
from lee_console.core.errors import LeeError, TableNotFound
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.fold import fold_incident
from lee_console.store.drill_truth import keep_final_truth
from lee_console.store.drills import DrillRecord, save_result
from lee_console.store.incidents import journals_dir
from lee_console.store.journal_file import Journal

HINT_KIND = "drill-hint"  # a hint shown to the participant: number, cost


def observe_application(aws: Aws, truth: DrillTruth) -> AppState:
    app = truth.application
    problems: list[str] = []
    ssm = _read(lambda: current_value(aws, "ssm", app.ssm_parameter, None), problems)
    lam = _read(
        lambda: current_value(aws, "lambda", app.lambda_function, app.lambda_variable), problems
    )
    if ssm is None or ssm != lam:
        return AppState(ssm, lam, None, None, tuple(problems))
    try:
        describe_table_raw(aws, ssm)
    except TableNotFound:
        problems.append(f"The application reads {ssm}, which does not exist.")
        return AppState(ssm, lam, None, None, tuple(problems))
    except LeeError as error:
        problems.append(error.message)
        return AppState(ssm, lam, None, None, tuple(problems))
    window = _read(lambda: describe_pitr(aws, ssm), problems)
    digests = _read(lambda: _digests(aws, ssm, app.key_attribute), problems)
    return AppState(ssm, lam, None if window is None else window.enabled, digests, tuple(problems))


T = TypeVar("T")


def _read(read: Callable[[], T], problems: list[str]) -> T | None:
    try:
        return read()
    except LeeError as error:
        problems.append(error.message)
        return None


def _digests(aws: Aws, table: str, key: str) -> dict[str, str]:
    return {str(item.get(key)): item_hash(item).hex() for item in scan_items(aws, table)}


def hints_used(events: Iterable[JournalEvent]) -> list[datetime]:
    return [event.at for event in events if event.kind == HINT_KIND]


def score(
    aws: Aws,
    info: DrillInfo,
    truth: DrillTruth,
    events: list[JournalEvent],
    finished_at: datetime,
) -> ScoreCard:
    facts = fold_incident(events, truth.ground.table)
    app = observe_application(aws, truth)
    return score_drill(info, truth, facts, app, len(hints_used(events)), finished_at)


@dataclass(frozen=True)
class FinishedDrill:
    card: ScoreCard
    card_json: dict[str, Any]
    timeline: list[Moment]  # the ground truth beside the participant's timeline
    json_path: Path
    markdown_path: Path


def finish_drill(
    aws: Aws, state: Path, record: DrillRecord, truth: DrillTruth, now: datetime
) -> FinishedDrill:
    """Close the drill's incident (if the participant has not), score it, save the result, and
    keep the ground truth beside the incident so that its report can measure what was lost."""
    journal = Journal(journals_dir(state), record.incident)
    if journal.closed_at is None:
        journal.append(Kind.CLOSED, text="The drill was finished.")
    events = list(journal.events())
    info = DrillInfo(
        incident=record.incident,
        scenario=record.scenario,
        participant=record.participant,
        rto_minutes=record.rto_minutes,
        started_at=_utc(record.started_at),
        seed=record.seed,
    )
    card = score(aws, info, truth, events, now)
    facts = fold_incident(events, truth.ground.table)
    timeline = facilitator_timeline(truth, facts, info.started_at, hints_used(events))
    data = card_json(card, truth)
    json_path, markdown_path = save_result(record.incident, data, card_markdown(card, timeline))
    keep_final_truth(state, record.incident, Path(record.truth_path))
    return FinishedDrill(card, data, timeline, json_path, markdown_path)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
