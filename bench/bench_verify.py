"""lee-console verify against the aws CLI + jq pipeline and a boto3 script, in one run.

    python bench/bench_verify.py --items 100000
    python bench/bench_verify.py --items 1000000 --cli-memory-gb 8

A bad-deployment sandbox (``python -m lee_console.sandbox --items N``, ``--latency-ms`` as
given) in a subprocess; its devices table restored to before the damage, so that the two tables
hold N items each with about 16% changed. Then, one after the other, each in child processes of
its own (wall time from start to exit; peak RSS: the larger of os.wait4's ru_maxrss and the
process tree's RSS sampled every 50 ms, which counts lee-console's scan worker processes too):

- lee-console: ``lee-console --endpoint-url URL verify RESTORED --against LIVE --json`` (rules,
  counts, schema and the diff, in a fresh state dir);
- boto3 script: a paginated Scan of each table into a dict by key, then the dicts compared
  (no rules);
- aws CLI + jq: ``aws dynamodb scan`` of each table to a file, then jq comparing them by key
  (no rules). Time is the three commands' sum, peak RSS the largest of the three. awscli is
  installed into a temporary venv if ``aws`` is not on PATH, jq with apt-get if missing.

All three must count the same changed, added and removed keys.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

RESTORED = "lee-devices-bench-restored"
LIVE = "lee-devices"
ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}

BOTO3_SCRIPT = """
import json, sys, boto3
client = boto3.client("dynamodb", endpoint_url=sys.argv[1])
def scan_all(table):
    items = {}
    for page in client.get_paginator("scan").paginate(TableName=table):
        for item in page["Items"]:
            items[item["device_id"]["S"]] = item
    return items
old, new = scan_all(sys.argv[2]), scan_all(sys.argv[3])
print(json.dumps({
    "changed": sum(1 for k in old if k in new and old[k] != new[k]),
    "added": sum(1 for k in new if k not in old),
    "removed": sum(1 for k in old if k not in new),
}))
"""

JQ_PROGRAM = (
    "($r[0].Items | map({key: .device_id.S, value: .}) | from_entries) as $a"
    " | ($l[0].Items | map({key: .device_id.S, value: .}) | from_entries) as $b"
    " | {changed: ([$a | keys[] | select($b[.] != null and $a[.] != $b[.])] | length),"
    " added: ([$b | keys[] | select($a[.] == null)] | length),"
    " removed: ([$a | keys[] | select($b[.] == null)] | length)}"
)


def _client(url: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 2}),
    )


def _restore(url: str) -> None:
    ddb = _client(url)
    backups = ddb.describe_continuous_backups(TableName=LIVE)["ContinuousBackupsDescription"]
    window = backups["PointInTimeRecoveryDescription"]
    at = min(window["LatestRestorableDateTime"], datetime.now(UTC) - timedelta(minutes=45))
    ddb.restore_table_to_point_in_time(
        SourceTableName=LIVE, TargetTableName=RESTORED, RestoreDateTime=at
    )
    while ddb.describe_table(TableName=RESTORED)["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.5)


def _tree_rss_mib(pid: int) -> float:
    """The RSS of ``pid`` and all its descendants now (lee-console's scan workers)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) if "VmRSS:" in status else 0
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                stack.extend(int(child) for child in children)
        except (OSError, ValueError, IndexError):
            continue
    return total / 1024


def _run(
    command: list[str], env: dict[str, str], stdout: Any = subprocess.PIPE, limit_gb: float = 0
) -> tuple[str, float, float, int]:
    """Run ``command``: (stdout, wall seconds, peak RSS MiB, exit code). The peak is the larger
    of os.wait4's ru_maxrss (the largest single process) and the process tree's RSS sampled
    every 50 ms (the sum over the command and its children)."""

    def cap() -> None:
        if limit_gb:
            size = int(limit_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=stdout, stderr=subprocess.DEVNULL, env=env, text=True, preexec_fn=cap
    )
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_mib(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read() if process.stdout is not None else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    return output, wall, max(usage.ru_maxrss / 1024, peak[0]), os.waitstatus_to_exitcode(status)


def _aws_cli(folder: Path) -> list[str]:
    found = shutil.which("aws")
    if found:
        return [found]
    print("aws CLI not on PATH: installing awscli into a temporary venv (pip install awscli)")
    venv = folder / "awscli-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "awscli"], check=True)
    return [str(venv / "bin" / "aws")]


def _jq() -> str:
    found = shutil.which("jq")
    if found:
        return found
    print("jq not on PATH: installing it from Debian (apt-get install -y jq)")
    subprocess.run(["apt-get", "install", "-y", "-q", "jq"], check=True)
    return shutil.which("jq") or "jq"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--workers", type=int, default=0, help="lee-console verify --workers N")
    parser.add_argument(
        "--cli-memory-gb",
        type=float,
        default=0,
        help="address-space cap for each aws CLI / jq process (0: none)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import sandbox_process
    from sandbox_process import running_sandbox

    sandbox_process.READY_TIMEOUT_SECONDS = 3600.0  # a million items take minutes to seed

    env = {**os.environ, **ENV}
    seeding = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_sandbox("bad-deployment", items=args.items, latency_ms=args.latency_ms) as (url, _),
    ):
        folder = Path(tmp)
        aws, jq = _aws_cli(folder), _jq()
        started = time.perf_counter()
        _restore(url)
        print(
            f"sandbox: {args.items:,} devices, seeded in {started - seeding:.0f} s,"
            f" restored in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        runs = {
            "lee-console verify": lambda: _lee(url, env, folder, args.workers),
            "boto3 script": lambda: _boto3(url, env),
            "aws CLI + jq": lambda: _cli(url, env, folder, aws, jq, args.cli_memory_gb),
        }
        results = {}
        for name, run in runs.items():
            results[name] = run()
            print(f"  done: {_line(name, results[name])}", flush=True)
        _report(results)  # before the sandbox stops (a million items take a while)


def _lee(url: str, env: dict[str, str], folder: Path, workers: int) -> dict[str, Any]:
    state = folder / "lee-state"
    lee_env = {
        **env,
        "LEE_CONSOLE_STATE_DIR": str(state),
        "XDG_STATE_HOME": str(state),
        "XDG_DATA_HOME": str(folder / "lee-data"),
        "XDG_CONFIG_HOME": str(folder / "lee-config"),
    }
    command = [sys.executable, "-m", "lee_console", "--endpoint-url", url]
    command += ["verify", RESTORED, "--against", LIVE, "--json", "--workers", str(workers)]
    output, wall, rss, code = _run(command, lee_env)
    if code not in (0, 1):
        raise SystemExit(f"lee-console verify failed ({code})")
    diff = json.loads(output)["diff"]
    counts = {k: diff[k] for k in ("changed", "added", "removed")}
    return {"time": wall, "rss": rss, "counts": counts, "extra": f"damaged {diff['damaged']:,}"}


def _boto3(url: str, env: dict[str, str]) -> dict[str, Any]:
    output, wall, rss, code = _run([sys.executable, "-c", BOTO3_SCRIPT, url, RESTORED, LIVE], env)
    if code:
        raise SystemExit(f"boto3 script failed ({code})")
    return {"time": wall, "rss": rss, "counts": json.loads(output), "extra": ""}


def _cli(
    url: str, env: dict[str, str], folder: Path, aws: list[str], jq: str, limit_gb: float
) -> dict[str, Any]:
    total, peak, steps = 0.0, 0.0, []
    for table, name in ((RESTORED, "r.json"), (LIVE, "l.json")):
        with (folder / name).open("w") as out:
            command = [*aws, "dynamodb", "scan", "--table-name", table]
            command += ["--endpoint-url", url, "--output", "json"]
            _, wall, rss, code = _run(command, env, stdout=out, limit_gb=limit_gb)
        total, peak = total + wall, max(peak, rss)
        steps.append(f"scan {table} {wall:.1f} s {rss:.0f} MiB")
        if code:
            return {"time": total, "rss": peak, "counts": None, "extra": f"failed ({code})"}
    command = [jq, "-n", "-c", "--slurpfile", "r", str(folder / "r.json")]
    command += ["--slurpfile", "l", str(folder / "l.json"), JQ_PROGRAM]
    output, wall, rss, code = _run(command, env, limit_gb=limit_gb)
    total, peak = total + wall, max(peak, rss)
    steps.append(f"jq {wall:.1f} s {rss:.0f} MiB")
    counts = json.loads(output) if code == 0 else None
    return {"time": total, "rss": peak, "counts": counts, "extra": "; ".join(steps)}


def _line(name: str, result: dict[str, Any]) -> str:
    return (
        f"{name:20s} {result['time']:7.1f} s  peak RSS {result['rss']:7.0f} MiB  "
        f"counts {result['counts']}  {result['extra']}"
    )


def _report(results: dict[str, dict[str, Any]]) -> None:
    lee = results["lee-console verify"]
    for name, result in results.items():
        print(_line(name, result))
    for name in ("boto3 script", "aws CLI + jq"):
        other = results[name]
        print(
            f"{name} / lee-console: time {other['time'] / lee['time']:.2f}x, "
            f"peak RSS {other['rss'] / lee['rss']:.2f}x"
        )
    agree = all(r["counts"] == lee["counts"] for r in results.values() if r["counts"])
    print("same changed/added/removed counts in all three" if agree else "COUNTS DIFFER")
    if not agree:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
