"""DynamoDB exports to S3: start one (full at a second of the PITR window, or incremental over
a period), wait for it, and download its data files. Neither kind reads the table's capacity.

The data files hold customer items: they go to a private folder (0700) the caller deletes once
the command has read them; nothing of them is kept. The export itself stays in the bucket
(the operator's to keep or delete, as with any export).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from lee_console.aws.errors import translate
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_table_raw
from lee_console.core.errors import LeeError
from lee_console.core.exports.model import ExportInfo
from lee_console.store.private import private_dir

OnProgress = Callable[[ExportInfo, float], None]  # the export, seconds waited so far
POLL_FIRST, POLL_MOST = 2.0, 30.0  # DescribeExport: soon, then less often (exports take minutes)


class ExportFailed(LeeError):
    """An export that AWS ended FAILED, or that did not finish in time."""


def start_full_export(aws: Aws, table: str, at: datetime | None, bucket: str, prefix: str) -> str:
    """A full export of ``table`` as of ``at`` (None: now); its ExportArn."""
    when = {} if at is None else {"ExportTime": at}
    return _start(aws, table, bucket, prefix, ExportType="FULL_EXPORT", **when)


def start_incremental_export(
    aws: Aws,
    table: str,
    since: datetime,
    until: datetime,
    bucket: str,
    prefix: str,
    view: str = "NEW_AND_OLD_IMAGES",
) -> str:
    """An incremental export of what changed in [since, until) (15 minutes to 24 hours)."""
    spec = {"ExportFromTime": since, "ExportToTime": until, "ExportViewType": view}
    return _start(
        aws, table, bucket, prefix, ExportType="INCREMENTAL_EXPORT",
        IncrementalExportSpecification=spec,
    )  # fmt: skip


def _start(aws: Aws, table: str, bucket: str, prefix: str, **kind: Any) -> str:
    arn = describe_table_raw(aws, table)["TableArn"]
    params: dict[str, Any] = {
        "TableArn": arn, "S3Bucket": bucket, "ExportFormat": "DYNAMODB_JSON", **kind,
    }  # fmt: skip
    if prefix:
        params["S3Prefix"] = prefix
    try:
        answer = aws.dynamodb.export_table_to_point_in_time(**params)
    except Exception as error:
        raise translate(error, f"export {table} to s3://{bucket}") from None
    return str(answer["ExportDescription"]["ExportArn"])


def describe_export(aws: Aws, arn: str) -> ExportInfo:
    try:
        found = aws.dynamodb.describe_export(ExportArn=arn)["ExportDescription"]
    except Exception as error:
        raise translate(error, f"describe export {arn}") from None
    return export_info(found)


def export_info(found: dict[str, Any]) -> ExportInfo:
    spec = found.get("IncrementalExportSpecification") or {}
    failure = None
    if found.get("FailureCode") or found.get("FailureMessage"):
        failure = f"{found.get('FailureCode', '')}: {found.get('FailureMessage', '')}".strip(": ")
    count, billed = found.get("ItemCount"), found.get("BilledSizeBytes")
    return ExportInfo(
        arn=str(found["ExportArn"]),
        status=str(found.get("ExportStatus", "IN_PROGRESS")),
        export_type=str(found.get("ExportType", "FULL_EXPORT")),
        bucket=str(found.get("S3Bucket", "")),
        prefix=str(found.get("S3Prefix") or ""),
        manifest_key=found.get("ExportManifest"),
        item_count=int(count) if count is not None else None,
        billed_bytes=int(billed) if billed is not None else None,
        start=found.get("StartTime"),
        end=found.get("EndTime"),
        export_time=found.get("ExportTime"),
        since=spec.get("ExportFromTime"),
        until=spec.get("ExportToTime"),
        failure=failure,
    )


def wait_export(
    aws: Aws,
    arn: str,
    on_progress: OnProgress | None = None,
    timeout_seconds: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ExportInfo:
    """Poll DescribeExport until the export is COMPLETED (returned) or FAILED (ExportFailed),
    every 2 s at first and then less often, up to ``timeout_seconds`` (None: no limit)."""
    started = time.monotonic()
    pause = POLL_FIRST
    while True:
        info = describe_export(aws, arn)
        waited = time.monotonic() - started
        if on_progress is not None:
            on_progress(info, waited)
        if info.status == "COMPLETED":
            return info
        if info.status == "FAILED":
            raise ExportFailed(f"Export {info.export_id} failed: {info.failure or 'no reason'}.")
        if timeout_seconds is not None and waited + pause > timeout_seconds:
            raise ExportFailed(
                f"Export {info.export_id} is still {info.status} after {waited:.0f} s; it goes "
                f"on in AWS: `aws dynamodb describe-export --export-arn {arn}` follows it."
            )
        sleep(pause)
        pause = min(POLL_MOST, pause * 1.5)


def download_export(aws: Aws, info: ExportInfo, folder: Path) -> list[Path]:
    """The export's data files (gzipped JSON lines), fetched through its manifests into
    ``folder`` (made 0700). The caller deletes the folder once it has read them."""
    if info.manifest_key is None:
        raise ExportFailed(f"Export {info.export_id} has no manifest yet ({info.status}).")
    s3 = aws.client("s3")
    summary = json.loads(_get(s3, info.bucket, info.manifest_key))
    files_key = str(summary["manifestFilesS3Key"])
    private_dir(folder)
    paths: list[Path] = []
    for number, text in enumerate(_get(s3, info.bucket, files_key).decode().splitlines()):
        if not text.strip():
            continue
        key = str(json.loads(text)["dataFileS3Key"])
        path = folder / f"{number:05d}-{key.rsplit('/', 1)[-1]}"
        path.write_bytes(_get(s3, info.bucket, key))
        path.chmod(0o600)
        paths.append(path)
    return paths


def _get(s3: Any, bucket: str, key: str) -> bytes:
    try:
        body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except Exception as error:
        raise translate(error, f"read s3://{bucket}/{key}") from None
    return body
