"""`repair LIVE --from-export`: the exports named (a `damage --json` result, or ARNs) read
again, the plan made (core/exports/repair_plan.py), and each damaged item written back with a
conditional PutItem (the live item must still be what the last export saw). Journaled per
batch like the restore-based repair, then repair-finished and the cutover (strategy repair)."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lee_console.aws.damage import export_periods
from lee_console.aws.errors import translate
from lee_console.aws.exports import (
    describe_export,
    download_export,
    start_incremental_export,
    wait_export,
)
from lee_console.aws.scan import item_from_wire, to_wire
from lee_console.aws.session import Aws
from lee_console.core.errors import InvalidInput
from lee_console.core.exports.damage import Change
from lee_console.core.exports.model import ExportInfo
from lee_console.core.exports.records import changed_items
from lee_console.core.exports.repair_plan import ExportRepairPlan, ItemRepair, plan_export_repair
from lee_console.core.journal import Kind
from lee_console.core.repair import unchanged_condition
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

BATCH = 25
Say = Callable[[str], None]


def damage_start(source: str) -> datetime | None:
    """The first damaging write of a `damage --json` result file (None: not such a file)."""
    path = Path(source)
    if source.startswith("arn:") or not path.is_file():
        return None
    try:
        text = json.loads(path.read_text(encoding="utf-8"))["first_damaging_write"]
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except (OSError, ValueError, KeyError, TypeError):
        raise InvalidInput(f"{source} is not a `damage --json` result.") from None


def exports_from(aws: Aws, live: str, start: datetime, bucket: str, say: Say) -> list[str]:
    """Incremental exports of ``live`` from the first damaging write to now: each item's image
    before them is its image at the damage start, legitimate writes just before it included."""
    periods = export_periods(aws, live, start, datetime.now(UTC))
    say(
        f"Exporting {live}'s changes since the first damaging write {format_utc(start)} "
        f"({len(periods)} incremental export(s))..."
    )
    arns = [
        start_incremental_export(aws, live, a, b, bucket, "lee-console/repair") for a, b in periods
    ]
    for arn in arns:
        wait_export(aws, arn)
    return arns


def export_arns(source: str) -> list[str]:
    """ARNs from a `damage --json` result file, or ARNs given comma-separated."""
    path = Path(source)
    if not source.startswith("arn:") and path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            arns = [str(arn) for arn in data["exports"]]
        except (OSError, ValueError, KeyError, TypeError):
            raise InvalidInput(f"{source} is not a `damage --json` result.") from None
    else:
        arns = [part.strip() for part in source.split(",") if part.strip()]
    if not arns or not all(arn.startswith("arn:") and "/export/" in arn for arn in arns):
        raise InvalidInput(
            f"--from-export takes a `damage --json` result file or export ARNs, not {source!r}."
        )
    return arns


def load_plan(
    aws: Aws, live: str, arns: list[str], rules: RuleSet, now: datetime
) -> tuple[list[ExportInfo], ExportRepairPlan]:
    infos = sorted((describe_export(aws, arn) for arn in arns), key=_start_of)
    for info in infos:
        if info.status != "COMPLETED" or info.export_type != "INCREMENTAL_EXPORT":
            raise InvalidInput(
                f"Export {info.export_id} is {info.status} {info.export_type}: repair needs "
                "completed incremental exports."
            )
        if f":table/{live}/export/" not in info.arn:
            raise InvalidInput(f"Export {info.export_id} is not an export of {live}.")
    folder = Path(tempfile.mkdtemp(prefix="lee-repair-"))  # 0700, deleted below
    try:
        periods = []
        for number, info in enumerate(infos):
            files = download_export(aws, info, folder / f"export-{number}")
            periods.append([_plain(change) for change in changed_items(files)])
        return infos, plan_export_repair(periods, rules, now)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class ExportRepairResult:
    repaired: int = 0
    skipped: list[tuple[dict[str, Any], str]] | None = None


def write_back(
    aws: Aws, live: str, key_names: list[str], plan: ExportRepairPlan, source: str, say: Say
) -> ExportRepairResult:
    result = ExportRepairResult(skipped=[])
    repairs = plan.repairs
    for start in range(0, len(repairs), BATCH):
        batch = repairs[start : start + BATCH]
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(lambda r: _put(aws, live, key_names, r), batch))
        written = [dict(r.key) for r, why in zip(batch, outcomes, strict=True) if why is None]
        skipped = [(dict(r.key), why) for r, why in zip(batch, outcomes, strict=True) if why]
        result.repaired += len(written)
        assert result.skipped is not None
        result.skipped += skipped
        if aws.journal is not None:
            aws.journal.append(
                Kind.REPAIR_BATCH, live=live, restored=source, batch=start // BATCH + 1,
                repaired=len(written), skipped=len(skipped), keys=written,
                skipped_keys=[{"key": key, "reason": why} for key, why in skipped],
            )  # fmt: skip
        say(f"[{min(start + BATCH, len(repairs))}/{len(repairs)}] {result.repaired} repaired")
    return result


def _put(aws: Aws, live: str, key_names: list[str], repair: ItemRepair) -> str | None:
    condition = unchanged_condition(repair.seen, key_names)
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


def _plain(change: Any) -> Change:
    return Change(
        key=item_from_wire(change.keys),
        old=item_from_wire(change.old) if change.old is not None else None,
        new=item_from_wire(change.new) if change.new is not None else None,
        written_at=change.written_at,
    )


def _start_of(info: ExportInfo) -> datetime:
    return info.since or info.export_time or info.start or datetime.min.replace(tzinfo=UTC)
