"""dr-test's pure parts: the point, the names, the verdict, the trend, the history files."""

from __future__ import annotations

import random
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lee_console.core.drtest.point import (
    choose_point,
    is_scratch_name,
    parse_random_days,
    scratch_name,
)
from lee_console.core.drtest.render import markdown, summary
from lee_console.core.drtest.result import DrTestResult, ReferenceCount, nearest_backup
from lee_console.core.drtest.trend import trend
from lee_console.core.errors import InvalidInput, RestoreTimeOutsideWindow
from lee_console.core.pitr import PitrWindow
from lee_console.core.views import BackupSummary
from lee_console.store import dr_tests

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
WINDOW = PitrWindow(True, NOW - timedelta(days=35), NOW - timedelta(minutes=5), 35)


def test_scratch_names_are_recognisable_and_only_for_their_table() -> None:
    name = scratch_name("lee-devices", NOW)
    assert name == "lee-devices-drtest-20261203T100000Z"
    assert is_scratch_name(name, "lee-devices") and is_scratch_name(f"{name}-2", "lee-devices")
    assert not is_scratch_name(name, "lee-device")
    assert not is_scratch_name("lee-devices-probe-20261203T100000Z", "lee-devices")
    assert not is_scratch_name("lee-devices", "lee-devices")


@pytest.mark.parametrize("text", ["30-1", "x", "1-", "-1-3", "1-36", "", "1 - 3", "\uff11-3"])
def test_bad_random_days_are_one_line(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_random_days(text)
    assert error.value.message == (
        f"--random-days takes A-B, whole days ago with A <= B <= 35 (e.g. 1-30), got {text!r}."
    )


def test_random_points_fall_between_the_days_and_inside_the_window() -> None:
    rng = random.Random(7)
    for _ in range(200):
        choice = choose_point(WINDOW, "t", NOW, days=parse_random_days("1-30"), rng=rng)
        assert NOW - timedelta(days=30) <= choice.point <= NOW - timedelta(days=1)
        assert choice.point.microsecond == 0
    for _ in range(50):  # clipped to the latest restorable second
        clipped = choose_point(WINDOW, "t", NOW, days=(0, 1), rng=rng)
        assert NOW - timedelta(days=1) <= clipped.point <= NOW - timedelta(minutes=5)
    anywhere = choose_point(WINDOW, "t", NOW, rng=rng)
    assert WINDOW.earliest and WINDOW.earliest <= anywhere.point
    assert anywhere.how == "random in the window"


def test_days_outside_a_short_window_are_refused() -> None:
    short = PitrWindow(True, NOW - timedelta(days=2), NOW - timedelta(minutes=5), 35)
    with pytest.raises(InvalidInput, match="between 10 and 20 days ago"):
        choose_point(short, "t", NOW, days=(10, 20))


def test_at_outside_the_window_says_the_window() -> None:
    with pytest.raises(RestoreTimeOutsideWindow) as error:
        choose_point(WINDOW, "t", NOW, at=NOW)
    assert error.value.message == (
        "2026-12-03T10:00:00Z is outside the restorable window of t: "
        "2026-10-29T10:00:00Z -> 2026-12-03T09:55:00Z."
    )


def backup(minutes: int, status: str = "AVAILABLE") -> BackupSummary:
    return BackupSummary("arn", f"b{minutes}", "t", NOW + timedelta(minutes=minutes), status,
                         "USER", 1)  # fmt: skip


def test_the_reference_is_the_nearest_backup_within_an_hour() -> None:
    assert nearest_backup(NOW, [backup(-90), backup(70)]) is None
    assert nearest_backup(NOW, [backup(-50), backup(20), backup(5, "CREATING")]) == backup(20)


def result(seconds: float = 12.0, items: int = 10, violating: int = 0, **kw: object) -> Any:
    fields: dict[str, Any] = dict(
        run_id=f"dt-{seconds}", table="lee-devices", scratch_table="lee-devices-drtest-x",
        restore_point=NOW - timedelta(days=3), point_how="given (--at)",
        started_at=NOW + timedelta(seconds=seconds), restore_seconds=seconds, items=items,
        violating_items=violating, rules="rules lee-devices", deleted=True,
        reference=ReferenceCount.unknown("no on-demand backup within 1 h of the restore point"),
    )  # fmt: skip
    fields.update(kw)
    return DrTestResult(**fields)


def test_verdicts() -> None:
    assert result().passed and "the count at that time is unknown" in result().count_line()
    assert result(violating=2).failures == ("2 of 10 items break the rules",)
    point = NOW - timedelta(days=3)
    exact = ReferenceCount(11, "the on-demand backup b", point + timedelta(seconds=30))
    assert result(reference=exact).failures == (
        "10 items restored, 11 in the reference (the on-demand backup b)",
    )
    near = ReferenceCount(11, "the on-demand backup b", point + timedelta(minutes=30))
    assert result(reference=near).passed
    assert "differs by -1, not judged" in result(reference=near).count_line()


def test_history_round_trip_modes_and_trend(tmp_path: Path) -> None:
    first, second = result(10.0), result(30.0, violating=1)
    for run in (first, second):
        dr_tests.save_result(run, markdown(run, trend([run])), root=tmp_path)
    assert dr_tests.history("lee-devices", tmp_path) == [first, second]
    assert dr_tests.latest("lee-devices", tmp_path) == second
    assert dr_tests.history("lee-users", tmp_path) == []
    folder = dr_tests.table_dir("lee-devices", tmp_path)
    for path in (folder, folder.parent):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (folder / "junk.json").write_text("[1]")
    assert len(dr_tests.history("lee-devices", tmp_path)) == 2
    shown = trend(dr_tests.history("lee-devices", tmp_path))
    assert shown.sparkline() == "▁█"
    assert "min 10.0 s, median 20.0 s, max 30.0 s" in shown.summary()
    text = markdown(second, shown)
    assert "# DR test of lee-devices: FAILED" in text and "| 10.0 s |" in text
    assert "30.0 s" in summary(second, shown)
