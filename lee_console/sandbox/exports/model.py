"""One export: its request, its content (computed at the start, from history), its status.

The lines are computed when the export starts, so they are exactly the table as of the export
time whatever is written meanwhile. The objects are written to S3 when the export's duration
(``--export-seconds``) has passed, by a timer thread or by the first describe that finds it
due, whichever comes first; the status is IN_PROGRESS until then, then COMPLETED (or FAILED
when the bucket does not exist).
"""

from __future__ import annotations

import secrets
import threading
import uuid
from typing import Any

from lee_console.sandbox import clock
from lee_console.sandbox.exports import layout
from lee_console.sandbox.exports.content import ExportLines
from lee_console.sandbox.exports.request import INCREMENTAL, ExportRequest, ExportTimes

IN_PROGRESS, COMPLETED, FAILED = "IN_PROGRESS", "COMPLETED", "FAILED"
NO_SUCH_BUCKET = ("S3NoSuchBucket", "The specified bucket does not exist")


def new_export_id(now: float) -> str:
    """AWS's form: 14 digits (epoch milliseconds) and 8 hex digits: 01234567890123-abcdef12."""
    return f"{round(now * 1000):014d}-{secrets.token_hex(4)}"


def table_id(table: Any) -> str:
    """A stable TableId for a table (moto keeps none): a UUID from its ARN and creation."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{table.table_arn}@{table.created_at}"))


class SandboxExport:
    def __init__(
        self,
        request: ExportRequest,
        times: ExportTimes,
        table: Any,
        account_id: str,
        content: ExportLines,
        started_at: float,
        duration: float,
    ) -> None:
        self.request = request
        self.times = times
        self.table_arn: str = table.table_arn
        self.table_id = table_id(table)
        self.account_id = account_id
        self.export_id = new_export_id(started_at)
        self.arn = f"{table.table_arn}/export/{self.export_id}"
        self.started_at = started_at
        self.ready_at = started_at + duration
        self.item_count = len(content.lines)
        self.billed_bytes = content.billed_bytes
        self._lines: list[str] | None = content.lines
        self._lock = threading.Lock()
        self._status = IN_PROGRESS
        self._ended_at: float | None = None
        self._failure: tuple[str, str] | None = None
        self._manifest: str | None = None
        self.folder = layout.export_folder(request.s3_prefix, self.export_id)
        if layout.bucket_exists(account_id, request.s3_bucket):
            layout.write_started(account_id, request.s3_bucket, self.folder)
        self._first_answer = self.describe(now=started_at - 1.0)

    @property
    def incremental(self) -> bool:
        return self.request.export_type == INCREMENTAL

    def status(self, now: float | None = None) -> str:
        if (clock.now() if now is None else now) >= self.ready_at:
            self.finish()
        return self._status

    def start_answer(self) -> dict[str, Any]:
        """ExportTableToPointInTime's answer: the export as it started (IN_PROGRESS), even
        when its timer has already completed it (``--export-seconds 0``)."""
        return self._first_answer

    def finish(self) -> None:
        """Write the objects (once) and end the export; safe from any thread."""
        with self._lock:
            if self._status != IN_PROGRESS:
                return
            lines, self._lines = self._lines, None
            assert lines is not None
            ended = max(clock.now(), self.ready_at)
            if not layout.bucket_exists(self.account_id, self.request.s3_bucket):
                self._failure = NO_SUCH_BUCKET
                self._status = FAILED
            else:
                data_dir = layout.data_folder(
                    self.request.s3_prefix, self.export_id, self.incremental
                )
                written = layout.write_export(
                    self.account_id,
                    self.request.s3_bucket,
                    self.folder,
                    data_dir,
                    lines,
                    self._summary(ended),
                )
                self._manifest = written.summary_key
                self._status = COMPLETED
            self._ended_at = ended

    def _summary(self, ended: float) -> dict[str, Any]:
        """manifest-summary.json, in the order of AWS's documented example."""
        request = self.request
        summary: dict[str, Any] = {
            "version": "2020-06-30",
            "exportArn": self.arn,
            "startTime": clock.iso_ms(self.started_at),
            "endTime": clock.iso_ms(ended),
            "tableArn": self.table_arn,
            "tableId": self.table_id,
        }
        if self.incremental:
            assert self.times.from_time is not None and self.times.to_time is not None
            summary["exportFromTime"] = clock.iso_ms(self.times.from_time)
            summary["exportToTime"] = clock.iso_ms(self.times.to_time)
        else:
            assert self.times.export_time is not None
            summary["exportTime"] = clock.iso_ms(self.times.export_time)
        summary |= {
            "s3Bucket": request.s3_bucket,
            "s3Prefix": request.s3_prefix,
            "s3SseAlgorithm": request.sse_algorithm or "AES256",
            "s3SseKmsKeyId": request.sse_kms_key_id,
            "manifestFilesS3Key": None,  # filled in by layout.write_export
            "billedSizeBytes": self.billed_bytes,
            "itemCount": self.item_count,
            "outputFormat": request.export_format,
        }
        if self.incremental:
            summary["outputView"] = request.view_type
            summary["exportType"] = request.export_type
        return summary

    def describe(self, now: float | None = None) -> dict[str, Any]:
        """ExportDescription (DescribeExport, and ExportTableToPointInTime's answer)."""
        status = self.status(now)
        request = self.request
        result: dict[str, Any] = {
            "ExportArn": self.arn,
            "ExportStatus": status,
            "StartTime": self.started_at,
            "TableArn": self.table_arn,
            "TableId": self.table_id,
            "S3Bucket": request.s3_bucket,
            "S3BucketOwner": request.s3_bucket_owner or self.account_id,
            "S3SseAlgorithm": request.sse_algorithm or "AES256",
            "ExportFormat": request.export_format,
            "ExportType": request.export_type,
        }
        if request.s3_prefix:
            result["S3Prefix"] = request.s3_prefix
        if request.sse_kms_key_id:
            result["S3SseKmsKeyId"] = request.sse_kms_key_id
        if request.client_token:
            result["ClientToken"] = request.client_token
        if self.incremental:
            result["IncrementalExportSpecification"] = {
                "ExportFromTime": self.times.from_time,
                "ExportToTime": self.times.to_time,
                "ExportViewType": request.view_type,
            }
        else:
            result["ExportTime"] = self.times.export_time
        if status != IN_PROGRESS and self._ended_at is not None:
            result["EndTime"] = self._ended_at
        if status == COMPLETED:
            result["ExportManifest"] = self._manifest
            result["ItemCount"] = self.item_count
            result["BilledSizeBytes"] = self.billed_bytes
        if self._failure is not None:
            result["FailureCode"], result["FailureMessage"] = self._failure
        return result

    def summary(self) -> dict[str, Any]:
        """ExportSummary (ListExports)."""
        return {
            "ExportArn": self.arn,
            "ExportStatus": self.status(),
            "ExportType": self.request.export_type,
        }
