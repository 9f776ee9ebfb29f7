"""An export as DescribeExport tells it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ExportInfo:
    arn: str
    status: str  # IN_PROGRESS | COMPLETED | FAILED
    export_type: str  # FULL_EXPORT | INCREMENTAL_EXPORT
    bucket: str
    prefix: str  # S3Prefix ("" when none)
    manifest_key: str | None  # ExportManifest: the manifest-summary.json key (COMPLETED)
    item_count: int | None
    billed_bytes: int | None
    start: datetime | None
    end: datetime | None
    export_time: datetime | None  # a full export's second
    since: datetime | None  # an incremental export's ExportFromTime (inclusive)
    until: datetime | None  # ... and ExportToTime (exclusive)
    failure: str | None  # "FailureCode: FailureMessage"

    @property
    def export_id(self) -> str:
        return self.arn.rsplit("/", 1)[-1]

    @property
    def done(self) -> bool:
        return self.status in ("COMPLETED", "FAILED")
