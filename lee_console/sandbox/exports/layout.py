"""The export's objects in the sandbox's S3, in AWS's layout.

    <prefix>/AWSDynamoDB/<ExportId>/_started                  (empty, at the start)
    <prefix>/AWSDynamoDB/<ExportId>/manifest-summary.json     (+ manifest-summary.checksum)
    <prefix>/AWSDynamoDB/<ExportId>/manifest-files.json       (+ manifest-files.checksum)
    <prefix>/AWSDynamoDB/<ExportId>/data/<random>.json.gz     (a full export's data)
    <prefix>/AWSDynamoDB/data/<random>.json.gz                (an incremental export's data:
                                                               AWS's shared data folder)

Data files hold at most ITEMS_PER_FILE lines each; an empty export has one empty data file (AWS
writes an empty file for an empty partition). Keys in the manifests are full object keys.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from moto.s3.models import s3_backends

ITEMS_PER_FILE = 10_000
_PARTITION = "aws"


def s3_backend(account_id: str) -> Any:
    return s3_backends[account_id][_PARTITION]


def bucket_exists(account_id: str, bucket: str) -> bool:
    return bucket in s3_backend(account_id).buckets


def _base(prefix: str | None) -> str:
    prefix = (prefix or "").strip("/")
    return f"{prefix}/" if prefix else ""


def export_folder(prefix: str | None, export_id: str) -> str:
    return f"{_base(prefix)}AWSDynamoDB/{export_id}/"


def data_folder(prefix: str | None, export_id: str, incremental: bool) -> str:
    if incremental:
        return f"{_base(prefix)}AWSDynamoDB/data/"
    return f"{export_folder(prefix, export_id)}data/"


def _file_name() -> str:
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=").lower()


def _chunks(lines: list[str]) -> Iterator[list[str]]:
    if not lines:
        yield []
        return
    for start in range(0, len(lines), ITEMS_PER_FILE):
        yield lines[start : start + ITEMS_PER_FILE]


def _put(s3: Any, bucket: str, key: str, body: bytes) -> str:
    """Put an object and return its ETag without quotes."""
    stored = s3.put_object(bucket, key, body)
    return str(stored.etag).strip('"')


@dataclass(frozen=True)
class Written:
    summary_key: str
    data_keys: list[str]


def write_started(account_id: str, bucket: str, folder: str) -> None:
    _put(s3_backend(account_id), bucket, f"{folder}_started", b"")


def write_export(
    account_id: str,
    bucket: str,
    folder: str,
    data_dir: str,
    lines: list[str],
    summary: dict[str, Any],
) -> Written:
    """Write the data files, then manifest-files.json, then manifest-summary.json (which
    gets ``manifestFilesS3Key``), each manifest with its .checksum (hex MD5)."""
    s3 = s3_backend(account_id)
    entries: list[str] = []
    data_keys: list[str] = []
    for chunk in _chunks(lines):
        raw = "".join(line + "\n" for line in chunk).encode("utf-8")
        body = gzip.compress(raw, compresslevel=6) if chunk else b""
        key = f"{data_dir}{_file_name()}.json.gz"
        etag = _put(s3, bucket, key, body)
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode("ascii")
        entry = {"itemCount": len(chunk), "md5Checksum": md5, "etag": etag, "dataFileS3Key": key}
        entries.append(json.dumps(entry, separators=(",", ":")))
        data_keys.append(key)
    files_key = f"{folder}manifest-files.json"
    _put_with_checksum(s3, bucket, files_key, "".join(e + "\n" for e in entries).encode())
    summary = {**summary, "manifestFilesS3Key": files_key}
    summary_key = f"{folder}manifest-summary.json"
    _put_with_checksum(s3, bucket, summary_key, json.dumps(summary).encode("utf-8"))
    return Written(summary_key=summary_key, data_keys=data_keys)


def _put_with_checksum(s3: Any, bucket: str, key: str, body: bytes) -> None:
    _put(s3, bucket, key, body)
    checksum = hashlib.md5(body).hexdigest()  # AWS: the manifest checksum is MD5
    _put(s3, bucket, key.removesuffix(".json") + ".checksum", checksum.encode("ascii"))
