"""`repair LIVE --from-export`: the exports named (a `damage --json` result, or ARNs) read
again, the plan made (core/exports/repair_plan.py), and each damaged item written back with a
conditional PutItem (the live item must still be what the last export saw, the condition the
restore-based repair uses: core/repair.unchanged_condition). Journaled per batch like the
restore-based repair; keys an earlier run of the same repair journaled are not written again."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lee_console.aws.damage import ExportPlan, plan_exports, read_changes, run_exports
from lee_console.aws.errors import translate
from lee_console.aws.exports import describe_export
from lee_console.aws.scan import to_wire
from lee_console.aws.session import Aws
from lee_console.core.errors import InvalidInput
from lee_console.core.exports.model import ExportInfo
from lee_console.core.exports.periods import SHORTEST
from lee_console.core.exports.repair_plan import ExportRepairPlan, ItemRepair, plan_export_repair
from lee_console.core.journal import Kind
from lee_console.core.repair import key_token, unchanged_condition
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

BATCH = 25
PREFIX = "lee-console/repair"
Say = Callable[[str], None]


@dataclass(frozen=True)
class DamageResult:
    """What repair takes from a `damage --json` result file."""

    table: str | None
    first_damaging_write: datetime | None
    exports: list[str]


def read_damage_result(source: str) -> DamageResult | None:
    """A `damage --json` result file (None: ``source`` names export ARNs instead)."""
    path = Path(source)
    if source.startswith("arn:") or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        first = data["first_damaging_write"]
        when = None if first is None else datetime.fromisoformat(str(first).replace("Z", "+00:00"))
        return DamageResult(data.get("table"), when, [str(arn) for arn in data["exports"]])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise InvalidInput(f"{source} is not a `damage --json` result.") from None


def export_arns(source: str) -> list[str]:
    """ARNs given comma-separated, each an export's."""
    arns = [part.strip() for part in source.split(",") if part.strip()]
    if not arns or not all(arn.startswith("arn:") and "/export/" in arn for arn in arns):
        shown = source if len(source) <= 80 else source[:70] + "..."
        raise InvalidInput(
            f"--from-export takes a `damage --json` result file or export ARNs, not {shown!r}."
        )
    return arns


def plan_from(aws: Aws, live: str, start: datetime) -> ExportPlan:
    """Incremental exports of ``live`` from the first damaging write to now: each item's image
    before them is its image at the damage start, legitimate writes just before it included.
    Widened backwards they would begin before the damage: under 15 minutes, refused."""
    now = datetime.now(UTC)
    if now - start < SHORTEST:
        ready = start + SHORTEST
        raise InvalidInput(
            f"The first damaging write {format_utc(start)} is under 15 minutes ago and an "
            f"incremental export covers 15 minutes at least: run this again after "
            f"{format_utc(ready)} (an export begun earlier would lose the legitimate writes "
            "just before the damage)."
        )
    return plan_exports(aws, live, start, now)


def export_again(aws: Aws, plan: ExportPlan, bucket: str, say: Say) -> list[str]:
    return run_exports(aws, plan.table, plan.periods, bucket, PREFIX, say)


def load_plan(
    aws: Aws, live: str, arns: list[str], rules: RuleSet, now: datetime
) -> tuple[list[ExportInfo], ExportRepairPlan]:
    """The exports (in time order, checked: completed incremental exports of ``live``) and the
    plan from their changed items."""
    infos = sorted((describe_export(aws, arn) for arn in arns), key=_start_of)
    for info in infos:
        if f":table/{live}/export/" not in info.arn:
            raise InvalidInput(f"Export {info.export_id} is not an export of {live}.")
        if info.status != "COMPLETED" or info.export_type != "INCREMENTAL_EXPORT":
            raise InvalidInput(
                f"Export {info.export_id} is {info.status} {info.export_type}: repair needs "
                "completed incremental exports."
            )
    for before, after in itertools.pairwise(infos):
        if before.until != after.since:
            raise InvalidInput(
                f"Exports {before.export_id} and {after.export_id} leave a gap or overlap "
                f"({_when(before.until)} -> {_when(after.since)}): repair needs consecutive "
                "periods."
            )
    periods = [changes for _, changes in read_changes(aws, [info.arn for info in infos])]
    starts = [info.since or datetime.min.replace(tzinfo=UTC) for info in infos]
    return infos, plan_export_repair(periods, rules, now, starts)


@dataclass
class ExportRepairResult:
    repaired: int = 0
    skipped: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    already: int = 0  # journaled by an earlier run of the same repair


def write_back(
    aws: Aws, live: str, key_names: list[str], repairs: list[ItemRepair], source: str, say: Say
) -> ExportRepairResult:
    result = ExportRepairResult()
    for start in range(0, len(repairs), BATCH):
        batch = repairs[start : start + BATCH]
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(lambda r: _put(aws, live, key_names, r), batch))
        written = [dict(r.key) for r, why in zip(batch, outcomes, strict=True) if why is None]
        skipped = [(dict(r.key), why) for r, why in zip(batch, outcomes, strict=True) if why]
        result.repaired += len(written)
        result.skipped += skipped
        if aws.journal is not None:
            aws.journal.append(
                Kind.REPAIR_BATCH, live=live, restored=source, batch=start // BATCH + 1,
                repaired=len(written), skipped=len(skipped), keys=written,
                skipped_keys=[{"key": key, "reason": why} for key, why in skipped],
            )  # fmt: skip
        say(f"[{min(start + BATCH, len(repairs))}/{len(repairs)}] {result.repaired} repaired")
    return result


def not_done(repairs: list[ItemRepair], done: frozenset[str]) -> list[ItemRepair]:
    """The repairs an earlier run (journaled) did not write or skip."""
    return [r for r in repairs if key_token(tuple(r.key.values())) not in done]


def _put(aws: Aws, live: str, key_names: list[str], repair: ItemRepair) -> str | None:
    try:
        condition = unchanged_condition(repair.seen, key_names)
    except ValueError as reason:  # too many attributes to condition on
        return str(reason)
    try:
        aws.dynamodb.put_item(
            TableName=live,
            Item=to_wire(repair.good),
            ConditionExpression=condition.expression,
            ExpressionAttributeNames=condition.names,
            ExpressionAttributeValues=to_wire(condition.values),
        )
    except Exception as error:
        code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
        if code == "ConditionalCheckFailedException":
            return "changed since the last export: left as it is"
        raise translate(error, f"write back an item of {live}") from None
    return None


def _start_of(info: ExportInfo) -> datetime:
    return info.since or info.export_time or info.start or datetime.min.replace(tzinfo=UTC)


def _when(moment: datetime | None) -> str:
    return format_utc(moment) if moment else "?"
