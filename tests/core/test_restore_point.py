"""Where the timeline's cursor starts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lee_console.core.restore_point import suggested_restore_point
from lee_console.core.timeline import Marker, MarkerKind

NOW = datetime(2025, 2, 14, 11, 52, tzinfo=UTC)
EARLIEST = NOW - timedelta(days=35)
LATEST = NOW - timedelta(minutes=5)
OLD_DEPLOY = Marker(NOW - timedelta(days=3), MarkerKind.DEPLOYMENT, "lee-engine:42")
BAD_DEPLOY = Marker(
    datetime(2025, 2, 14, 11, 23, tzinfo=UTC), MarkerKind.DEPLOYMENT, "lee-engine:43"
)
BACKUP = Marker(NOW - timedelta(hours=1), MarkerKind.BACKUP, "daily")


def test_the_second_before_the_declared_damage_start_wins() -> None:
    """As `restore` without --at: a minute-rounded point would lose that minute's writes."""
    damage = datetime(2025, 2, 14, 11, 20, 30, 500000, tzinfo=UTC)
    point, why = suggested_restore_point([BAD_DEPLOY], EARLIEST, LATEST, damage) or (None, "")
    assert point == datetime(2025, 2, 14, 11, 20, 29, tzinfo=UTC)
    assert why == "1 s before the declared damage start 2025-02-14 11:20:30 UTC"


def test_else_one_minute_before_the_latest_deployment_in_the_window() -> None:
    found = suggested_restore_point([OLD_DEPLOY, BACKUP, BAD_DEPLOY], EARLIEST, LATEST)
    assert found == (
        datetime(2025, 2, 14, 11, 22, tzinfo=UTC),
        "1 min before the deployment lee-engine:43",
    )


def test_a_deployment_after_the_latest_restorable_time_is_passed_over() -> None:
    recent = Marker(NOW - timedelta(minutes=2), MarkerKind.DEPLOYMENT, "lee-engine:44")
    point, why = suggested_restore_point([BAD_DEPLOY, recent], EARLIEST, LATEST) or (None, "")
    assert point == datetime(2025, 2, 14, 11, 22, tzinfo=UTC) and "lee-engine:43" in why


def test_a_damage_start_outside_the_window_falls_back_to_deployments() -> None:
    ancient = EARLIEST - timedelta(days=1)
    point, _ = suggested_restore_point([BAD_DEPLOY], EARLIEST, LATEST, ancient) or (None, "")
    assert point == datetime(2025, 2, 14, 11, 22, tzinfo=UTC)


def test_nothing_to_suggest_without_damage_or_deployments() -> None:
    assert suggested_restore_point([BACKUP], EARLIEST, LATEST) is None
