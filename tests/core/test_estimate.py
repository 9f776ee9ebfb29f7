"""Restore duration estimates: which past restores count, and from which journals."""

from __future__ import annotations

import pytest

from lee_console.core.estimate import (
    MIN_ESTIMATE_SECONDS,
    PastRestore,
    estimate_restore_duration,
    history_incidents,
)

MB = 1024 * 1024


def test_past_restores_without_a_size_are_ignored() -> None:
    history = [
        PastRestore(size_bytes=500 * MB, duration_seconds=1800),
        PastRestore(size_bytes=0, duration_seconds=10),  # no recorded size: says nothing
        PastRestore(size_bytes=0, duration_seconds=9000),
    ]
    estimate = estimate_restore_duration(500 * MB, history)
    assert estimate.seconds == 1800
    assert estimate.basis == "1 past restore recorded in the journals"


def test_only_sizeless_history_falls_back_to_the_decision_record() -> None:
    estimate = estimate_restore_duration(500 * MB, [PastRestore(0, 10), PastRestore(0, 20)])
    assert estimate.seconds == pytest.approx(35 * 60)
    assert estimate.basis.startswith("no restore history")


def test_a_zero_size_row_no_longer_skews_the_size_scaling() -> None:
    # With the 0 counted, the mean size halves and a 500 MB table scales to twice the time.
    history = [PastRestore(400 * MB, 600), PastRestore(0, 600)]
    assert estimate_restore_duration(500 * MB, history).seconds == 600
    assert estimate_restore_duration(2000 * MB, history).seconds == pytest.approx(3000)


def test_the_floor_still_applies_without_history() -> None:
    assert estimate_restore_duration(1, []).seconds == MIN_ESTIMATE_SECONDS


def test_a_drill_takes_its_history_from_drill_journals_only() -> None:
    incidents = ["adhoc-2025-01-01", "drill-2025-01-02", "INC-42", "drill-2025-01-03"]
    assert history_incidents("drill-2025-01-04", incidents) == [
        "drill-2025-01-02",
        "drill-2025-01-03",
    ]
    assert history_incidents("INC-43", incidents) == ["adhoc-2025-01-01", "INC-42"]
    assert history_incidents("adhoc-2025-01-04", incidents) == ["adhoc-2025-01-01", "INC-42"]
