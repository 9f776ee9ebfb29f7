"""Bad input is refused before anything is sent: one line that says what is accepted, exit 2,
and the sandbox's tables as they were (the cases the resilience review found)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run, make_table


def _tables(client: Any) -> list[str]:
    names: list[str] = client.list_tables()["TableNames"]
    return sorted(names)


CASES = [
    (["restore", "{t}", "--at=-999999999h"], "lee-console: The time '-999999999h' is out of range"),
    (["restore", "{t}", "--at", "99999999999"], "lee-console: 5138-11-16T09:46:39Z is outside"),
    (["restore", "{t}", "--backup", ""], "lee-console: --backup needs a backup ARN"),
    (["restore", "{t}", "--at", "-1m", "--target", ""], "lee-console: '' is not a valid DynamoDB"),
    (["restore", "{t}", "--at", "-1m", "--timeout=-1"], "lee-console: --timeout must be a number"),
    (["restore", "{t}", "--at", "-1m", "--timeout=nan"], "lee-console: --timeout must be a number"),
    (["find-good", "{t}", "--precision", "99999999999999999999s"], "lee-console: The precision"),
    (["status", "--min-coverage-days", "-1"], "lee-console: --min-coverage-days must be a number"),
    (["status", "--min-coverage-days", "nan"], "lee-console: --min-coverage-days must be a number"),
    (["status", "--min-coverage-days", "inf"], "lee-console: --min-coverage-days must be a number"),
    (["backup", "cleanup", "nope-table", "--retention-days", "7", "--confirm", "nope-table"],
     "lee-console: No table nope-table and no backup of it"),
    (["incident", "close", "--incident", "never-declared"], "lee-console: No incident never-dec"),
    (["--incident", ".", "incident", "note", "x"], "lee-console: '.' is not a usable incident id"),
    (["verify", "{t}", "--against", "{t}", "--item", '{"pk": 5}'],
     "lee-console: The key attribute pk of {t} is text (S); got 5."),
    (["verify", "{t}", "--against", "{t}", "--item", "[" * 5000],
     "lee-console: --item is 5,000 characters: give only the key"),
    (["verify", "{t}", "--against", "{t}", "--item", "[" * 3000],
     "lee-console: --item is nested too deep to be a key"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "start"), CASES, ids=[" ".join(c[0])[:50] for c in CASES])
def test_refused_in_one_line_and_nothing_changes(
    cli: Callable[..., Run], lab_url: str, lab: Any, argv: list[str], start: str, tmp_path: Path
) -> None:
    table = make_table(lab)
    before = _tables(lab)
    run = cli(*[arg.replace("{t}", table) for arg in argv], url=lab_url)
    assert run.code == 2, run
    assert len(run.err_lines) == 1 and "Traceback" not in run.err, run.err
    assert run.err_lines[0].startswith(start.replace("{t}", table)), run.err_lines[0]
    assert _tables(lab) == before
    assert not (tmp_path / "lee-state" / "journals").exists()  # no incident started either


def test_enable_pitr_on_an_unknown_table_sends_nothing(
    cli: Callable[..., Run], lab_url: str, tmp_path: Path
) -> None:
    run = cli("enable-pitr", "nope-table", url=lab_url)
    assert run.code == 2
    journals = tmp_path / "lee-state" / "journals"
    sent = [p.read_text() for p in journals.glob("*.jsonl")] if journals.exists() else []
    assert not any("UpdateContinuousBackups" in text for text in sent)


@pytest.mark.parametrize(
    ("url", "start"),
    [
        ("http://[::1", "lee-console: --endpoint-url 'http://[::1' is not a usable URL"),
        ("ftp://127.0.0.1", "lee-console: --endpoint-url 'ftp://127.0.0.1' is not a usable URL"),
        ("http://10.0.0.5:8000", "lee-console: --endpoint-url 'http://10.0.0.5:8000' is plain"),
    ],
)
def test_endpoint_urls_are_checked(cli: Callable[..., Run], url: str, start: str) -> None:
    run = cli("status", "--endpoint-url", url)
    assert run.code == 2 and len(run.err_lines) == 1
    assert run.err_lines[0].startswith(start)


def test_a_state_dir_that_is_a_file_is_one_line(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(blocker / "state"))
    run = cli("incident", "declare", "--table", "lee-devices")
    assert run.code == 2
    assert run.err_lines == [
        f"lee-console: Cannot use {blocker / 'state'} as the console's state folder (Not a "
        "directory): point XDG_STATE_HOME or LEE_CONSOLE_STATE_DIR at a folder you can write."
    ]
