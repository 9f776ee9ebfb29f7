"""An ExportTableToPointInTime request: read from the body, checked as AWS checks it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from moto.dynamodb.exceptions import MockValidationException

from lee_console.sandbox import clock
from lee_console.sandbox.exports.errors import InvalidExportTime
from lee_console.sandbox.pitr import PitrState

FULL = "FULL_EXPORT"
INCREMENTAL = "INCREMENTAL_EXPORT"
NEW_AND_OLD = "NEW_AND_OLD_IMAGES"
NEW_ONLY = "NEW_IMAGE"
DYNAMODB_JSON = "DYNAMODB_JSON"
MIN_PERIOD = 15 * 60.0
MAX_PERIOD = 24 * 3600.0


@dataclass(frozen=True)
class ExportRequest:
    table_arn: str
    s3_bucket: str
    s3_prefix: str | None
    s3_bucket_owner: str | None
    sse_algorithm: str | None
    sse_kms_key_id: str | None
    export_format: str
    export_type: str
    export_time: float | None  # full: None means now
    from_time: float | None  # incremental
    to_time: float | None  # incremental: None means now
    view_type: str
    client_token: str | None

    def same_as(self, other: ExportRequest) -> bool:
        """The same parameters (the ClientToken idempotency check)."""
        return self == other


def _epoch(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return clock.from_datetime(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise MockValidationException(f"Invalid timestamp: {value!r}") from None


def _choice(body: dict[str, Any], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = body.get(name) or default
    if value not in allowed:
        raise MockValidationException(
            f"1 validation error detected: Value '{value}' at '{name[0].lower()}{name[1:]}' "
            f"failed to satisfy constraint: Member must satisfy enum value set: "
            f"[{', '.join(allowed)}]"
        )
    return str(value)


def parse(body: dict[str, Any]) -> ExportRequest:
    for name in ("TableArn", "S3Bucket"):
        if not body.get(name):
            raise MockValidationException(f"1 validation error detected: {name} is required")
    export_type = _choice(body, "ExportType", FULL, (FULL, INCREMENTAL))
    export_format = _choice(body, "ExportFormat", DYNAMODB_JSON, (DYNAMODB_JSON, "ION"))
    if export_format != DYNAMODB_JSON:
        raise MockValidationException(
            "The lee-console sandbox writes exports in DYNAMODB_JSON only (ION is not emulated)"
        )
    spec: dict[str, Any] = body.get("IncrementalExportSpecification") or {}
    if export_type == INCREMENTAL and not spec.get("ExportFromTime"):
        raise MockValidationException(
            "IncrementalExportSpecification.ExportFromTime is required for an INCREMENTAL_EXPORT"
        )
    view = _choice(spec, "ExportViewType", NEW_AND_OLD, (NEW_AND_OLD, NEW_ONLY))
    incremental = export_type == INCREMENTAL
    return ExportRequest(
        table_arn=str(body["TableArn"]),
        s3_bucket=str(body["S3Bucket"]),
        s3_prefix=body.get("S3Prefix") or None,
        s3_bucket_owner=body.get("S3BucketOwner") or None,
        sse_algorithm=body.get("S3SseAlgorithm") or None,
        sse_kms_key_id=body.get("S3SseKmsKeyId") or None,
        export_format=export_format,
        export_type=export_type,
        export_time=None if incremental else _epoch(body.get("ExportTime")),
        from_time=_epoch(spec.get("ExportFromTime")) if incremental else None,
        to_time=_epoch(spec.get("ExportToTime")) if incremental else None,
        view_type=view,
        client_token=body.get("ClientToken") or None,
    )


@dataclass(frozen=True)
class ExportTimes:
    """The resolved times: a full export's snapshot time, or an incremental period."""

    export_time: float | None
    from_time: float | None
    to_time: float | None


def resolve_times(request: ExportRequest, pitr: PitrState, now: float) -> ExportTimes:
    """Defaults filled in (now), then the period and the window checked (ValidationException,
    InvalidExportTimeException). An export's window runs from EarliestRestorableDateTime to
    now: unlike a restore it is not held back by the restore lag (AWS exports a table whose
    PITR was enabled a moment ago, with the items just written: moto's test_export_table,
    which its authors ran against AWS)."""
    latest = clock.floor_ms(now)
    if request.export_type == FULL:
        at = latest if request.export_time is None else request.export_time
        _check_in_window("ExportTime", at, pitr, now)
        return ExportTimes(at, None, None)
    assert request.from_time is not None
    start = request.from_time
    end = latest if request.to_time is None else request.to_time
    if start >= end:
        raise MockValidationException(
            f"ExportFromTime ({_iso(start)}) must be earlier than ExportToTime ({_iso(end)})"
        )
    period = end - start
    if not MIN_PERIOD <= period <= MAX_PERIOD:
        raise MockValidationException(
            "The incremental export period (ExportToTime - ExportFromTime) must be at least "
            f"15 minutes and at most 24 hours; it is {_duration(period)} "
            f"({f'{period:.6f}'.rstrip('0').rstrip('.')} s)"
        )
    _check_in_window("ExportFromTime", start, pitr, now)
    _check_in_window("ExportToTime", end, pitr, now)
    return ExportTimes(None, start, end)


def _check_in_window(what: str, at: float, pitr: PitrState, now: float) -> None:
    earliest = pitr.earliest(now)
    # Accept what was advertised (earliest was rounded up to the ms).
    if at < earliest - 0.001 or at > now + 0.001:
        raise InvalidExportTime(what, at, clock.ceil_ms(earliest), clock.floor_ms(now))


def _iso(ts: float) -> str:
    return clock.to_datetime(ts).isoformat()


def _duration(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s"
