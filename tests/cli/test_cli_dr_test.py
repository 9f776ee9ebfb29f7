"""`lee-console dr-test` end to end against the sandbox: a pass with counts, a failure, bad
input, the history and trend, and scratch tables left by a killed run or deleted on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run, boto_client

from lee_console.core.timeparse import format_utc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sandbox_process import running_sandbox

TABLE = "lee-devices"


@pytest.fixture(autouse=True)
def data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "lee-console" / "dr-tests" / TABLE


@pytest.fixture(scope="module")
def quick() -> Iterator[str]:
    with running_sandbox("none", restore_seconds=1, restore_lag=0, items=30) as (url, _):
        yield url


@pytest.fixture(scope="module")
def slow() -> Iterator[str]:
    with running_sandbox("none", restore_seconds=6, restore_lag=0, items=30) as (url, _):
        yield url


def scratch_tables(url: str) -> list[str]:
    return [t for t in boto_client(url).list_tables()["TableNames"] if "-drtest-" in t]


def backup_at_the_point(url: str) -> tuple[str, int]:
    client = boto_client(url)
    (first, *_) = client.list_backups(TableName=TABLE, BackupType="USER")["BackupSummaries"]
    details = client.describe_backup(BackupArn=first["BackupArn"])["BackupDescription"]
    return format_utc(first["BackupCreationDateTime"]), details["SourceTableDetails"]["ItemCount"]


def test_a_pass_counts_the_items_against_a_backup_and_deletes_the_scratch_table(
    cli: Callable[..., Run], quick: str, data_home: Path
) -> None:
    point, count = backup_at_the_point(quick)
    truth = len(boto_client(quick).scan(TableName=TABLE)["Items"])  # `none`: no deletes
    run = cli("dr-test", TABLE, "--at", point, "--json", "--poll-seconds", "0.2", url=quick)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["verdict"] == "passed" and result["items"] == truth == count
    assert result["reference_count"]["count"] == count and result["count_difference"] == 0
    assert result["reference_count"]["source"].startswith("the on-demand backup ")
    assert result["restore_point"] == point and result["scratch_deleted"] is True
    assert result["scratch_table"].startswith(f"{TABLE}-drtest-")
    assert scratch_tables(quick) == []
    assert f"Deleted {result['scratch_table']}." in run.err
    assert sorted(p.suffix for p in data_home.iterdir()) == [".json", ".md"]


def test_two_runs_make_a_history_of_two_and_a_trend_of_both(
    cli: Callable[..., Run], quick: str, data_home: Path
) -> None:
    durations = []
    for days in ("1-30", "2-3"):
        run = cli("dr-test", TABLE, "--random-days", days, "--json", "--poll-seconds", "0.2",
                  url=quick)  # fmt: skip
        assert run.code == 0, run.err
        result = json.loads(run.out)
        assert result["reference_count"]["count"] is None or result["count_difference"] == 0
        durations.append(result["restore_seconds"])
    from lee_console.store.dr_tests import history

    runs = history(TABLE)
    assert [r.restore_seconds for r in runs] == durations
    latest_md = sorted(data_home.glob("*.md"))[-1].read_text()
    assert "2 run(s)" in json.loads(run.out)["trend"] and "2 run(s)" in latest_md
    for seconds in durations:
        assert f"{seconds:.1f} s" in latest_md
    human = cli("dr-test", TABLE, "--poll-seconds", "0.2", url=quick)
    assert human.code == 0 and "3 run(s)" in human.out and "min " in human.out


def test_a_run_after_the_damage_fails(cli: Callable[..., Run]) -> None:
    with running_sandbox("bad-deployment", restore_seconds=1, restore_lag=0, items=30) as (
        url,
        _,
    ):
        run = cli("dr-test", TABLE, "--at", "-1m", "--poll-seconds", "0.2", url=url)
        assert run.code == 1, run.err
        assert "DR test of lee-devices: FAILED" in run.out
        assert "items break the rules" in run.out
        assert scratch_tables(url) == []


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["lee-nothing"], "Table lee-nothing does not exist in us-east-1 @ {url}; "
         "`lee-console status` lists the tables there."),
        ([TABLE, "--at", "2020-01-01T00:00:00Z"], "2020-01-01T00:00:00Z is outside the "
         "restorable window of lee-devices: "),
        ([TABLE, "--random-days", "30-1"], "--random-days takes A-B, whole days ago with "
         "A <= B <= 35 (e.g. 1-30), got '30-1'."),
        ([TABLE, "--random-days", "x"], "--random-days takes A-B, whole days ago with "
         "A <= B <= 35 (e.g. 1-30), got 'x'."),
        ([TABLE, "--read-only"], "Not testing a restore of lee-devices (dr-test restores a "
         "scratch table): the console runs with --read-only, which allows no change in AWS."),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_creates_nothing(
    cli: Callable[..., Run], quick: str, args: list[str], line: str
) -> None:
    tables = boto_client(quick).list_tables()["TableNames"]
    run = cli("dr-test", *args, url=quick)
    assert run.code == 2 and run.out == ""
    (said,) = run.err_lines
    assert said.startswith("lee-console: " + line.format(url=quick))
    assert boto_client(quick).list_tables()["TableNames"] == tables
    state = Path(os.environ["LEE_CONSOLE_STATE_DIR"]) / "journals"
    assert not state.exists() or not list(state.iterdir())


def start(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lee_console", "dr-test", TABLE, "--endpoint-url", url,
         "--poll-seconds", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for_scratch(url: str, process: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None
        found = scratch_tables(url)
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError("no scratch table appeared")


def status(url: str, table: str) -> Any:
    return boto_client(url).describe_table(TableName=table)["Table"]["TableStatus"]


def test_a_killed_run_leaves_its_scratch_table_and_the_next_run_deletes_it(
    cli: Callable[..., Run], slow: str
) -> None:
    process = start(slow)
    left = wait_for_scratch(slow, process)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert status(slow, left) == "CREATING"  # killed while waiting
    run = cli("dr-test", TABLE, "--poll-seconds", "0.2", url=slow)
    assert run.code == 0, run.err
    assert f"Leftover scratch table of a killed dr-test: {left} (a restore of {TABLE}" in run.err
    assert f"Deleted leftover scratch table {left}." in run.err
    assert scratch_tables(slow) == []


def test_sigterm_deletes_the_scratch_table_before_exit_130(slow: str) -> None:
    process = start(slow)
    scratch = wait_for_scratch(slow, process)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert f"Deleted {scratch}." in err and err.rstrip().endswith("lee-console: interrupted.")
    assert scratch_tables(slow) == []
