"""What a scan worker process runs (aws/scan_workers.py): its segments of the table, each page
judged and hashed here, sent back as compact records, violations and retry lines."""

from __future__ import annotations

import pickle
import struct
import sys
from collections.abc import Iterator
from typing import Any

import boto3

from lee_console.aws.errors import translate
from lee_console.aws.raw_scan import scan_wire_pages
from lee_console.aws.session import Aws
from lee_console.core.errors import LeeError
from lee_console.core.wire_hash import wire_item_hash, wire_key_text
from lee_console.core.wire_rules import WireChecker

_RECORD = struct.Struct("<I")
_PASSES, _FAILS = b"\1", b"\0"


def run_job(job: Any) -> Iterator[tuple[str, bytes, list[Any], list[str]]]:
    """Messages ``("page", records, violations, retry lines)``, one per page scanned."""
    session = None
    if job.credentials is not None:
        key, secret, token = job.credentials
        session = boto3.Session(
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            aws_session_token=token,
            region_name=job.region,
        )
    aws = Aws(job.settings, None, session)
    lines: list[str] = []
    aws.retries.listen(lines.append)
    checker = WireChecker(job.rules, job.now)
    check, key_names, pack = checker.check, job.key_names, _RECORD.pack
    for page in scan_wire_pages(aws, job.table, job.total, only=job.segments):
        records = bytearray()
        violations: list[Any] = []
        for item in page:
            key = wire_key_text(item, key_names)
            found = check(item)
            data = key.encode("utf-8")
            records += pack(len(data))
            records += data
            records += wire_item_hash(item)
            if found:
                records += _FAILS
                violations.append((key, [(v.rule, v.message) for v in found]))
            else:
                records += _PASSES
        yield "page", bytes(records), violations, lines[:]
        lines.clear()


def main() -> None:
    """Read the job from stdin; write each message, then an error if any, then None."""
    out = sys.stdout.buffer
    job = pickle.load(sys.stdin.buffer)
    try:
        for message in run_job(job):
            pickle.dump(message, out)
            out.flush()
    except Exception as error:
        translated = translate(error, f"scan {job.table}")
        detail = translated if isinstance(translated, LeeError) else repr(error)
        pickle.dump(("error", detail), out)
    pickle.dump(None, out)
    out.flush()


if __name__ == "__main__":
    main()
