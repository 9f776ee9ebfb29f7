"""verify --via scan against verify --via export, on the same sandbox tables, in one run.

    python bench/bench_verify_export.py --items 100000
    python bench/bench_verify_export.py --items 1000000

A bad-deployment sandbox (``python -m lee_console.sandbox --items N``) in a subprocess; the
devices table restored to a minute before the damage (PITR then enabled on it, which an export
needs). Each verify runs in a child process of its own, so its peak RSS (os.wait4's ru_maxrss)
is its own:

- scan: aws.verify.verify_table (parallel Scan of both tables, every item through the rules
  and the hashes in Python: memory grows with the table);
- export: a full export of each table (ExportTableToPointInTime, the sandbox's S3), the data
  files downloaded, then aws.export_verify.verify_export_files (DuckDB, memory_limit 128MB).
  Times: the export wait (the sandbox's --export-seconds, not AWS's minutes), the download, and
  the comparison.

Both must report the same counts, violations and damaged keys; the bench says so or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

RESTORED = "lee-devices-bench-restored"
LIVE = "lee-devices"
BUCKET = "lee-pitr-exports"


def _client(url: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 2}),
    )


def _prepare(url: str) -> None:
    ddb = _client(url, "dynamodb")
    latest = ddb.describe_continuous_backups(TableName=LIVE)["ContinuousBackupsDescription"]
    window = latest["PointInTimeRecoveryDescription"]
    at = min(window["LatestRestorableDateTime"], datetime.now(UTC) - timedelta(minutes=45))
    ddb.restore_table_to_point_in_time(
        SourceTableName=LIVE, TargetTableName=RESTORED, RestoreDateTime=at
    )
    while ddb.describe_table(TableName=RESTORED)["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.5)
    ddb.update_continuous_backups(
        TableName=RESTORED,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )


def _export_files(url: str, table: str, folder: Path) -> tuple[list[Path], float, float]:
    """Export ``table`` now and download its data files (the bench's own few lines; the
    console uses aws/exports.py)."""
    ddb, s3 = _client(url, "dynamodb"), _client(url, "s3")
    arn = ddb.describe_table(TableName=table)["Table"]["TableArn"]
    started = time.perf_counter()
    export = ddb.export_table_to_point_in_time(
        TableArn=arn, S3Bucket=BUCKET, S3Prefix=f"bench/{table}", ExportFormat="DYNAMODB_JSON"
    )["ExportDescription"]
    while True:
        desc = ddb.describe_export(ExportArn=export["ExportArn"])["ExportDescription"]
        if desc["ExportStatus"] != "IN_PROGRESS":
            break
        time.sleep(0.2)
    assert desc["ExportStatus"] == "COMPLETED", desc
    waited = time.perf_counter() - started
    started = time.perf_counter()
    summary = json.loads(s3.get_object(Bucket=BUCKET, Key=desc["ExportManifest"])["Body"].read())
    manifest = s3.get_object(Bucket=BUCKET, Key=summary["manifestFilesS3Key"])["Body"].read()
    files = []
    for number, line in enumerate(manifest.decode().splitlines()):
        key = json.loads(line)["dataFileS3Key"]
        path = folder / f"{table}-{number}.json.gz"
        s3.download_file(BUCKET, key, str(path))
        files.append(path)
    return files, waited, time.perf_counter() - started


def _child(mode: str, url: str) -> None:
    from lee_console.aws.session import Aws, ConnectionSettings

    aws = Aws(ConnectionSettings(region="us-east-1", endpoint_url=url, sandbox=True))
    from lee_console.aws.verify import describe_shape, verify_table

    timings: dict[str, float] = {}
    started = time.perf_counter()
    if mode == "scan":
        report = verify_table(aws, RESTORED, LIVE, record=False)
    else:
        from lee_console.aws.export_verify import verify_export_files

        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            restored_files, wait_r, get_r = _export_files(url, RESTORED, folder)
            live_files, wait_l, get_l = _export_files(url, LIVE, folder)
            timings = {"export_wait_s": wait_r + wait_l, "download_s": get_r + get_l}
            compare = time.perf_counter()
            report = verify_export_files(
                describe_shape(aws, RESTORED),
                restored_files,
                describe_shape(aws, LIVE),
                live_files,
                _rules(),
                folder / "duckdb",
            )
            timings["compare_s"] = time.perf_counter() - compare
    timings["total_s"] = time.perf_counter() - started
    data = report.to_json()
    data.pop("verified_at")
    for check in (data["checked"], data["against_check"]):
        for violation in check["violations"]:
            violation.pop("example")  # the scan's is the first one seen: order-dependent
    assert report.diff is not None
    damaged = sorted(str(entry.key) for entry in report.diff.damaged())
    print(json.dumps({"timings": timings, "report": data, "damaged": damaged}))


def _rules() -> Any:
    from lee_console.store.rules_file import load_rules_for

    return load_rules_for(RESTORED)


def _run_child(mode: str, url: str) -> tuple[dict[str, Any], float]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", mode, "--endpoint", url],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{mode} child failed ({process.returncode})")
    return json.loads(output), usage.ru_maxrss / 1024  # KiB -> MiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--child", choices=["scan", "export"])
    parser.add_argument("--endpoint")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.endpoint)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import sandbox_process
    from sandbox_process import running_sandbox

    sandbox_process.READY_TIMEOUT_SECONDS = 3600.0  # a million items take minutes to seed
    started = time.perf_counter()
    extra = ("--export-seconds", "1")
    with running_sandbox("bad-deployment", items=args.items, extra_args=extra) as (url, _):
        print(f"sandbox with {args.items:,} devices: {time.perf_counter() - started:.1f} s")
        _prepare(url)
        scan, scan_rss = _run_child("scan", url)
        print(f"  scan done: {scan['timings']['total_s']:.1f} s", flush=True)
        export, export_rss = _run_child("export", url)
        print(f"  export done: {export['timings']['total_s']:.1f} s", flush=True)
        _report(scan, scan_rss, export, export_rss)  # before the sandbox stops (a million
        # items take longer than the 15 s it is given)


def _report(
    scan: dict[str, Any], scan_rss: float, export: dict[str, Any], export_rss: float
) -> None:
    if scan["report"] != export["report"]:
        Path("/tmp/bench-verify-scan.json").write_text(json.dumps(scan["report"], indent=1))
        Path("/tmp/bench-verify-export.json").write_text(json.dumps(export["report"], indent=1))
        raise SystemExit("scan and export disagree: /tmp/bench-verify-{scan,export}.json")
    assert scan["damaged"] == export["damaged"], "damaged keys differ"
    counts = scan["report"]["diff"]
    print(
        f"same report both ways: {counts['restored_items']:,} restored, {counts['live_items']:,} "
        f"live, {counts['changed']:,} changed, {counts['damaged']:,} damaged"
    )
    s, e = scan["timings"], export["timings"]
    print(f"scan:   {s['total_s']:.1f} s, peak RSS {scan_rss:.0f} MiB")
    print(
        f"export: {e['total_s']:.1f} s (export wait {e['export_wait_s']:.1f} s, download "
        f"{e['download_s']:.1f} s, DuckDB compare {e['compare_s']:.1f} s), peak RSS "
        f"{export_rss:.0f} MiB"
    )
    print(
        f"export/scan: time {e['total_s'] / s['total_s']:.2f}x (compare alone "
        f"{e['compare_s'] / s['total_s']:.2f}x), peak RSS {export_rss / scan_rss:.2f}x",
        flush=True,
    )


if __name__ == "__main__":
    main()
