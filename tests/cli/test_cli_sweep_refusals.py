"""Refusals a sweep of hostile arguments found (issue 9, item 1): each is one line that says what
is accepted, exit 2, before anything is sent (no internal error, no request, no table changed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run, make_table, pitr_status

from lee_console.core.timeparse import ACCEPTED_FORMS

FORMS = f"Accepted forms: {ACCEPTED_FORMS}."
BIG = "9" * 400  # an int beyond a float's range: math.isfinite overflowed on it

CASES = [
    (["cost", "--months", "100000000"], "--months must be a number from 0 to 120, not 100000000."),
    (["cost", "--growth-gb-per-month", "nan"],
     "--growth-gb-per-month must be a number from 0 to 100000, not nan."),
    (["cost", "--growth-gb-per-month", "1e309"],
     "--growth-gb-per-month must be a number from 0 to 100000, not inf."),
    (["cost", "--backup-retention-days", "99999999999999999999"],
     "--backup-retention-days must be a number from 1 to 36500 days, not 99999999999999999999."),
    (["backup", "cleanup", "{t}", "--retention-days", "99999999999999999999", "--dry-run"],
     "--retention-days must be a number from 1 to 36500 days, not 99999999999999999999."),
    (["backup", "list", ""],
     "'' is not a valid DynamoDB table name: use 3-255 characters from a-z, A-Z, 0-9, '_', '-' "
     "and '.'."),
    (["enable-pitr", "{t}", "--recovery-period-days", BIG],
     f"--recovery-period-days must be a number from 1 to 35 days, not {BIG}."),
    (["status", "--region", ""],
     "The region '' is not an AWS region name: give one like us-east-1 or eu-west-1 (--region, "
     "or region in the config file)."),
    (["status", "--region", "us-east-1\x01"],
     "The region 'us-east-1\\x01' is not an AWS region name: give one like us-east-1 or "
     "eu-west-1 (--region, or region in the config file)."),
    (["status", "--region", "us-east-1\n"],  # a regex's $ also matches before a final newline
     "The region 'us-east-1\\n' is not an AWS region name: give one like us-east-1 or "
     "eu-west-1 (--region, or region in the config file)."),
    (["--incident", "inc-1\n", "incident", "declare", "--table", "{t}"],
     "'inc-1\\n' is not a usable incident id: 1 to 80 letters, digits, '.', '_' or '-', not "
     "starting with '.'."),
    (["status", "--min-coverage-days", "\uff13"],  # float() reads a full-width 3 as 3
     "argument --min-coverage-days: invalid float value: '\uff13'; `lee-console status --help` "
     "lists the options."),
    (["status", "--min-coverage-days", "3_0"],
     "argument --min-coverage-days: invalid float value: '3_0'; `lee-console status --help` "
     "lists the options."),
    (["incident", "declare", "--table", "{t}", "--damage-start", ""], f"No time given. {FORMS}"),
    (["incident", "declare", "--table", "{t}", "--detected", ""], f"No time given. {FORMS}"),
    (["verify", "{t}", "--against", ""],
     "'' is not a valid DynamoDB table name: use 3-255 characters from a-z, A-Z, 0-9, '_', '-' "
     "and '.'."),
    (["repair", "lee-devices", "--from", "no-such-table", "--dry-run"],
     "Table no-such-table does not exist in us-east-1 @ {url}; `lee-console status` lists the "
     "tables there."),
    (["repair", "lee-devices", "--from", "{t}", "--dry-run"],
     "{t} and lee-devices have different keys (pk vs device_id); their items cannot be compared."),
    (["report", "--rto-target", "99999999999999999999"],
     "--rto-target must be a number from 1 to 10080 minutes, not 99999999999999999999."),
    (["repair", "lee-devices", "--from", "{t}", "--dry-run", "--segments", "0"],
     "--segments takes 1 to 64, got 0."),
]  # fmt: skip


def _tables(client: Any) -> list[str]:
    names: list[str] = client.list_tables()["TableNames"]
    return sorted(names)


@pytest.mark.parametrize(("argv", "line"), CASES, ids=[" ".join(c[0])[:40] for c in CASES])
def test_refused_in_one_exact_line(
    cli: Callable[..., Run],
    lab_url: str,
    lab: Any,
    argv: list[str],
    line: str,
    tmp_path: Path,
) -> None:
    table = make_table(lab, pitr=False)
    before = _tables(lab)
    run = cli(*[arg.replace("{t}", table) for arg in argv], url=lab_url)
    expected = f"lee-console: {line}".replace("{t}", table).replace("{url}", lab_url)
    assert (run.code, run.out, run.err_lines) == (2, "", [expected])
    assert _tables(lab) == before
    assert not (tmp_path / "lee-state" / "journals").exists()  # no incident started either


def test_endpoint_url_with_credentials_is_refused_without_echoing_them(
    cli: Callable[..., Run],
) -> None:
    run = cli("status", "--endpoint-url", "http://user:secret@127.0.0.1:1/")
    assert (run.code, run.err_lines) == (
        2,
        [
            "lee-console: --endpoint-url must not carry a user name or password "
            "(USER:PASSWORD@): give http(s)://HOST[:PORT]; credentials come from the profile or "
            "the environment."
        ],
    )


def test_enable_pitr_checks_every_table_before_enabling_any(
    cli: Callable[..., Run], lab_url: str, lab: Any
) -> None:
    table = make_table(lab, pitr=False)
    run = cli("enable-pitr", table, "no-such-table", url=lab_url)
    assert (run.code, run.out, run.err_lines) == (
        2,
        "",
        [
            f"lee-console: Table no-such-table does not exist in us-east-1 @ {lab_url}; "
            "`lee-console status` lists the tables there."
        ],
    )
    assert pitr_status(lab, table) == "DISABLED"


def test_a_truth_file_nested_too_deep_is_refused(cli: Callable[..., Run], tmp_path: Path) -> None:
    assert cli("incident", "declare", "--table", "lee-devices").code == 0
    truth = tmp_path / "truth.json"
    truth.write_text("[" * 100_000 + "]" * 100_000)
    run = cli("report", "--truth", str(truth))
    assert (run.code, run.out, run.err_lines) == (
        2,
        "",
        [
            f"lee-console: {truth} is not a sandbox ground truth (nested too deep): use the file "
            "`sandbox serve --truth-file` writes."
        ],
    )
