"""Item 14: bad input never shows a traceback: one line on stderr, exit 2, nothing changed."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run

from lee_console.core.timeparse import ACCEPTED_FORMS


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def assert_one_line_error(run: Run) -> str:
    assert run.code == 2, (run.out, run.err)
    assert "Traceback" not in run.err
    assert len(run.err_lines) == 1, run.err
    assert run.err_lines[0].startswith("lee-console: ")
    assert run.out == ""
    return run.err_lines[0]


@pytest.fixture
def unchanged(pristine: Any, tmp_path: Path) -> Iterator[None]:
    """The sandbox holds the same tables afterwards, and no mutating call was journaled."""
    before = sorted(pristine.list_tables()["TableNames"])
    yield
    assert sorted(pristine.list_tables()["TableNames"]) == before
    journals = tmp_path / "lee-state" / "journals"
    assert not journals.exists() or all(
        "aws-call" not in path.read_text() for path in journals.glob("*.jsonl")
    )


WINDOW = re.compile(r"is outside the restorable window of lee-devices: (\S+Z) -> (\S+Z)\.$")


def parse_utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@pytest.mark.usefixtures("unchanged")
def test_time_outside_the_window_gives_the_window(
    cli: Callable[..., Run], pristine_url: str, pristine: Any
) -> None:
    pitr = pristine.describe_continuous_backups(TableName="lee-devices")[
        "ContinuousBackupsDescription"
    ]["PointInTimeRecoveryDescription"]
    long_ago = (datetime.now(UTC) - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    line = assert_one_line_error(cli("restore", "lee-devices", "--at", long_ago, url=pristine_url))
    assert line.startswith(f"lee-console: {long_ago} is outside")
    window = WINDOW.search(line)
    assert window, line
    earliest, latest = (parse_utc(group) for group in window.groups())
    # The sandbox's window slides with the clock: compare with what it said a moment ago.
    assert abs(earliest - pitr["EarliestRestorableDateTime"]) < timedelta(seconds=30)
    assert abs(latest - pitr["LatestRestorableDateTime"]) < timedelta(seconds=30)
    future = assert_one_line_error(cli("restore", "lee-devices", "--at", "now", url=pristine_url))
    assert WINDOW.search(future)  # the latest restorable time trails now by about 5 minutes
    no_zone = (datetime.now(UTC) - timedelta(days=40)).strftime("%Y-%m-%d %H:%M:%S")
    assert WINDOW.search(
        assert_one_line_error(cli("restore", "lee-devices", "--at", no_zone, url=pristine_url))
    )


@pytest.mark.usefixtures("unchanged")
def test_unparseable_time_lists_the_accepted_forms(
    cli: Callable[..., Run], pristine_url: str
) -> None:
    line = assert_one_line_error(
        cli("restore", "lee-devices", "--at", "yesterday-ish", url=pristine_url)
    )
    assert "'yesterday-ish'" in line
    assert ACCEPTED_FORMS in line


@pytest.mark.usefixtures("unchanged")
def test_existing_target_suggests_a_free_name(cli: Callable[..., Run], pristine_url: str) -> None:
    line = assert_one_line_error(
        cli("restore", "lee-devices", "--at", "-10m", "--target", "lee-users", url=pristine_url)
    )
    assert "lee-users already exists" in line
    assert "--target lee-users-2" in line


@pytest.mark.usefixtures("unchanged")
def test_invalid_target_name(cli: Callable[..., Run], pristine_url: str) -> None:
    line = assert_one_line_error(
        cli("restore", "lee-devices", "--at", "-10m", "--target", "a b", url=pristine_url)
    )
    assert "not a valid DynamoDB table name" in line


@pytest.mark.usefixtures("unchanged")
def test_unknown_backup_arn(cli: Callable[..., Run], pristine_url: str) -> None:
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/lee-devices/backup/01234567890123-abcdefgh"
    assert_one_line_error(cli("restore", "lee-devices", "--backup", arn, url=pristine_url))


@pytest.mark.parametrize(
    "command", [["status"], ["restore", "lee-devices", "--latest"], ["backup", "list"], ["cost"]]
)
def test_unreachable_endpoint(cli: Callable[..., Run], command: list[str]) -> None:
    """botocore retries a connection that is refused: the wait is said once, then the error."""
    url = closed_port_url()
    run = cli(*command, url=url)
    assert run.err_lines[0].startswith("No answer from AWS for "), run.err
    assert run.err_lines[0].endswith(", retry 1 of 5."), run.err
    line = assert_one_line_error(replace(run, err="\n".join(run.err_lines[1:]) + "\n"))
    assert f"nothing answers at {url}" in line


@pytest.mark.parametrize("command", [["status"], ["restore", "lee-devices", "--at", "-5m"]])
def test_missing_credentials(cli: Callable[..., Run], command: list[str]) -> None:
    line = assert_one_line_error(cli(*command, "--region", "us-east-1"))
    assert "No AWS credentials found" in line
    assert "--sandbox" in line
    line = assert_one_line_error(cli(*command, url="https://dynamodb.eu-west-1.amazonaws.com"))
    assert "--sandbox" in line


def test_an_aws_config_file_that_does_not_parse_is_named(cli: Callable[..., Run]) -> None:
    """A typo in ~/.aws/config at 3 am: the file named, not an internal error."""
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text("[default\nregion = us-east-1\n")
    run = cli("status")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        f"lee-console: Could not read the AWS credentials: Unable to parse config file: {config}."
    ]


def test_an_option_given_twice_with_two_values_is_refused(
    cli: Callable[..., Run], pristine_url: str
) -> None:
    """Pasted twice, argparse would keep the last: a restore to a point nobody chose."""
    run = cli("restore", "lee-devices", "--at", "-25m", "--target", "t-1", "--at", "-40m",
              url=pristine_url)  # fmt: skip
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        "lee-console: --at given twice (-25m, then -40m); give it once; "
        "`lee-console restore --help` lists the options."
    ]
    same = cli("status", "--json", "--tables", "lee-users", "--tables", "lee-users",
               url=pristine_url)  # fmt: skip
    assert same.code == 0, same.err  # the same value twice says nothing new


def test_missing_region_with_credentials(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    line = assert_one_line_error(cli("status"))
    assert "--region" in line


def test_read_only_restore_is_refused(
    cli: Callable[..., Run], pristine_url: str, pristine: Any
) -> None:
    before = pristine.list_tables()["TableNames"]
    line = assert_one_line_error(
        cli("restore", "lee-devices", "--at", "-10m", "--read-only", url=pristine_url)
    )
    assert "--read-only" in line
    assert pristine.list_tables()["TableNames"] == before


@pytest.mark.parametrize("parallel", ["0", "51"])
def test_find_good_parallel_is_refused_before_any_aws_call(
    cli: Callable[..., Run], parallel: str
) -> None:
    """Before --yes deletes a leftover probe, or anything is read: nothing answers at this URL."""
    line = assert_one_line_error(
        cli(
            "find-good",
            "lee-devices",
            "--via",
            "restore",
            "--parallel",
            parallel,
            "--yes",
            url=closed_port_url(),
        )
    )
    assert "--parallel" in line
    assert "nothing answers" not in line
