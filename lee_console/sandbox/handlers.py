"""Replacements for moto's DynamoDB response handlers that drop request arguments.

moto's ``restore_table_to_point_in_time`` handler drops RestoreDateTime, UseLatestRestorableTime,
SourceTableArn and the overrides; its ``list_backups`` handler drops BackupType and the time
range; its ``restore_table_from_backup`` handler drops the overrides. These read them all.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from moto.core.responses import ActionResult
from moto.dynamodb.responses import DynamoHandler, DynamoResult

from lee_console.sandbox import clock
from lee_console.sandbox.codec import RawImage

_OVERRIDES = (
    "BillingModeOverride",
    "GlobalSecondaryIndexOverride",
    "LocalSecondaryIndexOverride",
    "ProvisionedThroughputOverride",
    "SSESpecificationOverride",
)
REPLACED = ("restore_table_to_point_in_time", "restore_table_from_backup", "list_backups")
# Read handlers whose results are plain JSON: moto's model-driven serializer costs about 2 ms per
# item (a 100k-item scan would spend minutes there), so these are written with json.dumps.
FAST_JSON = ("scan", "query", "get_item", "batch_get_item")
_ORIGINALS: dict[str, Callable[[Any], Any]] = {}


def _epoch(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return clock.from_datetime(value)
    return float(value)


def _overrides(body: dict[str, Any]) -> dict[str, Any]:
    return {name: body[name] for name in _OVERRIDES if body.get(name) is not None}


def restore_table_to_point_in_time(self: Any) -> Any:
    body: dict[str, Any] = self.body
    table = self.dynamodb_backend.restore_table_to_point_in_time(
        body.get("TargetTableName"),
        body.get("SourceTableName"),
        restore_date_time=_epoch(body.get("RestoreDateTime")),
        use_latest_restorable_time=bool(body.get("UseLatestRestorableTime", False)),
        source_table_arn=body.get("SourceTableArn"),
        overrides=_overrides(body),
    )
    return DynamoResult(table.describe())


def restore_table_from_backup(self: Any) -> Any:
    body: dict[str, Any] = self.body
    table = self.dynamodb_backend.restore_table_from_backup(
        body.get("TargetTableName"), body.get("BackupArn"), overrides=_overrides(body)
    )
    return DynamoResult(table.describe())


def list_backups(self: Any) -> Any:
    body: dict[str, Any] = self.body
    backups = self.dynamodb_backend.list_backups(
        body.get("TableName"),
        backup_type=body.get("BackupType") or "USER",
        lower_bound=_epoch(body.get("TimeRangeLowerBound")),
        upper_bound=_epoch(body.get("TimeRangeUpperBound")),
    )
    start = body.get("ExclusiveStartBackupArn")
    if start:
        arns = [b.arn for b in backups]
        backups = backups[arns.index(start) + 1 :] if start in arns else []
    response: dict[str, Any] = {}
    limit = body.get("Limit")
    if limit and len(backups) > limit:
        backups = backups[:limit]
        response["LastEvaluatedBackupArn"] = backups[-1].arn
    response["BackupSummaries"] = [backup.summary for backup in backups]
    return DynamoResult(response)


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return clock.from_datetime(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


_NONCE = secrets.token_hex(8)  # so no stored string can pose as a token
_RAW_TOKEN = re.compile(r'"\\u0000raw-' + _NONCE + r':(\d+)"')


def _dumps(result: Any) -> str:
    """JSON for a response; RawImage values (undecoded items' wire JSON) are spliced in."""
    raws: list[str] = []

    def default(value: Any) -> Any:
        if isinstance(value, RawImage):
            raws.append(value.image)
            return f"\u0000raw-{_NONCE}:{len(raws) - 1}"
        return _json_default(value)

    body = json.dumps(result, default=default, separators=(",", ":"))
    if raws:
        body = _RAW_TOKEN.sub(lambda m: raws[int(m.group(1))], body)
    return body


def _fast_json(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @functools.wraps(original)
    def handler(self: Any) -> Any:
        result = original(self)
        if isinstance(result, ActionResult) and isinstance(result.result, dict):
            return _dumps(result.result), {"Content-Type": "application/x-amz-json-1.0"}
        return result

    return handler


def install() -> None:
    """Replace the handlers on moto's DynamoHandler (process-wide; idempotent)."""
    for name in FAST_JSON:
        original = _ORIGINALS.setdefault(name, getattr(DynamoHandler, name))
        setattr(DynamoHandler, name, _fast_json(original))
    setattr(DynamoHandler, "restore_table_to_point_in_time", restore_table_to_point_in_time)  # noqa: B010
    setattr(DynamoHandler, "restore_table_from_backup", restore_table_from_backup)  # noqa: B010
    setattr(DynamoHandler, "list_backups", list_backups)  # noqa: B010
