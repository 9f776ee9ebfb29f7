"""Without --at, `restore` restores to the second before the incident's declared damage start
(a minute-rounded point would lose that minute's legitimate writes); with no damage start
declared it says what to give, in one line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from scenario_helpers import Cli, Sandbox, one_line_error, utc_text


def test_the_default_point_is_the_second_before_the_damage(
    bad_deployment: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, bad_deployment.url, "default-point")
    start = bad_deployment.damage_start
    cli.ok("incident", "declare", "--table", "lee-devices", "--damage-start", utc_text(start))
    run = cli.ok("restore", "lee-devices")
    assert run.json["restore_point"] == utc_text(start - timedelta(seconds=1))
    assert (
        f"Restoring to {utc_text(start - timedelta(seconds=1))}, the second before the declared "
        f"damage start {utc_text(start)} (--at chooses another point)." in run.err_lines
    )
    assert not [line for line in run.err_lines if "may hold the damage" in line]
    # A point typed after the damage start is restored, and said as it starts.
    late = utc_text(start + timedelta(minutes=2))
    after = cli.ok("restore", "lee-devices", "--at", late)
    assert (
        f"Note: {late} is not before the declared damage start {utc_text(start)}: the restored "
        "table may hold the damage; verify it before any cutover." in after.err_lines
    )


def test_without_a_damage_start_it_asks_for_a_point(
    bad_deployment: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, bad_deployment.url, "no-default-point")
    cli.ok("incident", "declare", "--table", "lee-devices")
    assert one_line_error(cli("restore", "lee-devices")) == (
        "lee-console: Say where to restore to: --at TIME, --latest, --backup ARN, --deleted or "
        "--reattach (or declare the incident's damage start: `lee-console incident declare "
        "--table lee-devices --damage-start TIME`, and the second before it is the default)."
    )
