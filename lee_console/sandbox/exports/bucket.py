"""The S3 bucket every seeded sandbox has ready for exports."""

from __future__ import annotations

from lee_console.sandbox.exports.layout import s3_backend

EXPORTS_BUCKET = "lee-pitr-exports"


def create_exports_bucket(account_id: str, region: str) -> None:
    s3 = s3_backend(account_id)
    if EXPORTS_BUCKET not in s3.buckets:
        s3.create_bucket(EXPORTS_BUCKET, region)
