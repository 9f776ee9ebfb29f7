"""Read a DynamoDB export back from S3 with plain boto3, as a consumer of AWS's format would:
the summary manifest, the files manifest, every gzipped data file (checked against both)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any


@dataclass
class ReadExport:
    summary: dict[str, Any]
    files: list[dict[str, Any]]
    lines: list[dict[str, Any]]


def wait_done(ddb: Any, export_arn: str, timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.time() + timeout
    while True:
        desc: dict[str, Any] = ddb.describe_export(ExportArn=export_arn)["ExportDescription"]
        if desc["ExportStatus"] != "IN_PROGRESS" or time.time() > deadline:
            return desc
        time.sleep(0.1)


def read_export(s3: Any, bucket: str, manifest_key: str) -> ReadExport:
    summary = json.loads(_get(s3, bucket, manifest_key))
    files_body = _get(s3, bucket, summary["manifestFilesS3Key"])
    files = [json.loads(line) for line in files_body.decode().splitlines() if line]
    lines: list[dict[str, Any]] = []
    for entry in files:
        body = _get(s3, bucket, entry["dataFileS3Key"])
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
        assert entry["md5Checksum"] == md5, entry
        head = s3.head_object(Bucket=bucket, Key=entry["dataFileS3Key"])
        assert head["ETag"].strip('"') == entry["etag"], entry
        text = gzip.decompress(body).decode() if body else ""
        chunk = [json.loads(line) for line in text.splitlines() if line]
        assert len(chunk) == entry["itemCount"], entry
        lines.extend(chunk)
    assert summary["itemCount"] == len(lines)
    for name in ("manifest-summary", "manifest-files"):
        key = manifest_key.rsplit("/", 1)[0] + f"/{name}"
        checksum = _get(s3, bucket, key + ".checksum").decode()
        assert checksum == hashlib.md5(_get(s3, bucket, key + ".json")).hexdigest()
    return ReadExport(summary=summary, files=files, lines=lines)


def _get(s3: Any, bucket: str, key: str) -> bytes:
    body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return body


def keyed(items: list[dict[str, Any]], key_attrs: tuple[str, ...]) -> dict[tuple[str, ...], Any]:
    """Items (DynamoDB JSON) by their key values."""
    return {tuple(json.dumps(item[k], sort_keys=True) for k in key_attrs): item for item in items}
