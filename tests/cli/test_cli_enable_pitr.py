"""`lee-console enable-pitr (--all | TABLE...) [--recovery-period-days N]`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cli_helpers import Run, make_table, pitr_status


def recovery_days(client: Any, table: str) -> int:
    description = client.describe_continuous_backups(TableName=table)
    days: int = description["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
        "RecoveryPeriodInDays"
    ]
    return days


def test_enable_pitr_reports_ok_per_table(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    first, second = make_table(lab, pitr=False), make_table(lab, pitr=False)
    run = cli("enable-pitr", first, second, url=lab_url)
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        f"[ok] {first}: PITR enabled, recovery period 35 days",
        f"[ok] {second}: PITR enabled, recovery period 35 days",
    ]
    assert pitr_status(lab, first) == pitr_status(lab, second) == "ENABLED"
    status = cli("status", "--json", "--tables", f"{first},{second}", url=lab_url)
    assert all(t["pitr_status"] == "ENABLED" for t in json.loads(status.out)["tables"])


def test_recovery_period_and_lowering_needs_confirmation(
    cli: Callable[..., Run], lab_url: str, lab: Any
) -> None:
    table = make_table(lab, pitr=False)
    run = cli("enable-pitr", table, "--recovery-period-days", "7", url=lab_url)
    assert run.out.strip() == f"[ok] {table}: PITR enabled, recovery period 7 days"
    assert recovery_days(lab, table) == 7
    lowered = cli("enable-pitr", table, "--recovery-period-days", "3", url=lab_url)
    assert lowered.code == 2 and lowered.out == ""
    assert lowered.err_lines == [
        f"lee-console: Not lowering {table}'s recovery period (7 -> 3 days) without "
        f"confirmation: pass --confirm {table}."
    ]
    assert recovery_days(lab, table) == 7  # nothing changed
    confirmed = cli(
        "enable-pitr", table, "--recovery-period-days", "3", "--confirm", table, url=lab_url
    )
    assert confirmed.code == 0
    assert recovery_days(lab, table) == 3


def test_bad_period_and_unknown_table_are_reported(
    cli: Callable[..., Run], lab_url: str, lab: Any
) -> None:
    table = make_table(lab, pitr=False)
    run = cli("enable-pitr", table, "no-such-table", "--recovery-period-days", "36", url=lab_url)
    assert run.code == 2 and run.out == ""
    assert run.err_lines == [
        "lee-console: --recovery-period-days must be a number from 1 to 35 days, not 36."
    ]
    assert pitr_status(lab, table) == "DISABLED"  # refused before anything was sent
    unknown = cli("enable-pitr", table, "no-such-table", url=lab_url)
    assert unknown.code == 2 and unknown.out == ""
    assert unknown.err_lines == [
        f"lee-console: Table no-such-table does not exist in us-east-1 @ {lab_url}; "
        "`lee-console status` lists the tables there."
    ]
    assert pitr_status(lab, table) == "DISABLED"  # checked every table before enabling any


def test_enable_pitr_all(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    table = make_table(lab, pitr=False)
    run = cli("enable-pitr", "--all", url=lab_url)
    assert f"[ok] {table}: PITR enabled" in run.out
    assert pitr_status(lab, table) == "ENABLED"
