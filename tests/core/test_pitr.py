"""PITR windows, alerts and health: what `status` and the dashboard decide on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lee_console.core.errors import PitrUnavailable, RestoreTimeOutsideWindow
from lee_console.core.pitr import Alert, PitrWindow, TableSummary, alerts, is_healthy

LATEST = datetime(2025, 2, 14, 11, 30, tzinfo=UTC)


def window(days: float) -> PitrWindow:
    return PitrWindow(
        enabled=True, earliest=LATEST - timedelta(days=days), latest=LATEST, recovery_period_days=35
    )


def table(pitr: PitrWindow, deletion_protection: bool = True) -> TableSummary:
    return TableSummary(
        name="lee-devices",
        status="ACTIVE",
        item_count=10,
        size_bytes=1000,
        deletion_protection=deletion_protection,
        billing_mode="PAY_PER_REQUEST",
        pitr=pitr,
    )


def test_coverage_days() -> None:
    assert window(35).coverage_days == pytest.approx(35.0)
    assert window(0.5).coverage_days == pytest.approx(0.5)
    assert PitrWindow(enabled=False).coverage_days is None


def test_healthy_table_has_no_alert() -> None:
    assert alerts(table(window(35)), 30) == ()
    assert is_healthy(table(window(35)), 30)


def test_pitr_disabled_fails_health() -> None:
    found = alerts(table(PitrWindow(enabled=False)), 30)
    assert found == (Alert.PITR_DISABLED,)
    assert not is_healthy(table(PitrWindow(enabled=False)), 30)


def test_low_coverage_fails_health() -> None:
    assert alerts(table(window(10)), 30) == (Alert.LOW_COVERAGE,)
    assert not is_healthy(table(window(10)), 30)
    assert is_healthy(table(window(10)), 7)


def test_coverage_exactly_at_threshold_is_healthy() -> None:
    assert is_healthy(table(window(30)), 30)


def test_deletion_protection_off_warns_but_stays_healthy() -> None:
    summary = table(window(35), deletion_protection=False)
    assert alerts(summary, 30) == (Alert.NO_DELETION_PROTECTION,)
    assert is_healthy(summary, 30)


def test_alerts_combine() -> None:
    summary = table(PitrWindow(enabled=False), deletion_protection=False)
    assert alerts(summary, 30) == (Alert.PITR_DISABLED, Alert.NO_DELETION_PROTECTION)


def test_check_restorable_inside_window_and_on_its_edges() -> None:
    pitr = window(35)
    for moment in (pitr.earliest, LATEST - timedelta(days=1), LATEST):
        assert moment is not None
        pitr.check_restorable("lee-devices", moment)


@pytest.mark.parametrize(
    "moment", [LATEST + timedelta(seconds=1), LATEST - timedelta(days=35, seconds=1)]
)
def test_outside_window_message_gives_the_window(moment: datetime) -> None:
    with pytest.raises(RestoreTimeOutsideWindow) as caught:
        window(35).check_restorable("lee-devices", moment)
    message = caught.value.message
    assert "lee-devices" in message
    assert "2025-01-10T11:30:00Z -> 2025-02-14T11:30:00Z" in message
    assert f"{moment:%Y-%m-%dT%H:%M:%SZ}" in message


def test_check_restorable_with_pitr_disabled_says_how_to_enable() -> None:
    with pytest.raises(PitrUnavailable, match="lee-console enable-pitr lee-devices"):
        PitrWindow(enabled=False).check_restorable("lee-devices", LATEST)


def test_describe() -> None:
    assert PitrWindow(enabled=False).describe() == "PITR disabled"
    assert window(1).describe() == "2025-02-13T11:30:00Z -> 2025-02-14T11:30:00Z"
