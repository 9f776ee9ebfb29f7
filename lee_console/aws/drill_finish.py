"""The end of a drill: what the application reads now (the SSM parameter, the Lambda variable,
that table's PITR and the digest of every item), scored against the ground truth. Items are
read to be hashed, never kept: only their digests and device ids reach the score card."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from lee_console.aws.repoint import current_value
from lee_console.aws.scan import scan_items
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_pitr
from lee_console.core.diff import item_hash
from lee_console.core.drill.score import AppState, DrillInfo, ScoreCard, score_drill
from lee_console.core.drill.truth import DrillTruth
from lee_console.core.errors import LeeError
from lee_console.core.journal import JournalEvent
from lee_console.core.report.fold import fold_incident

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
