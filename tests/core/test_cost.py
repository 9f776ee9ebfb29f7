"""The decision record's cost comparison (DEC-03 section 3), month by month."""

from __future__ import annotations

import pytest

from lee_console.core.cost import (
    BYTES_PER_GB,
    compare_strategies,
    pitr_monthly_cost,
    restore_cost,
)

HALF_GB = BYTES_PER_GB // 2  # the record's "500 MB"


def test_decision_record_today() -> None:
    month0 = compare_strategies(HALF_GB, 0.0, backup_retention_days=7, months=0)
    assert len(month0) == 1
    row = month0[0]
    assert row.month == 0
    assert row.size_gb == pytest.approx(0.5)
    assert row.pitr == pytest.approx(0.10)
    assert row.backups == pytest.approx(0.35)
    assert row.restore == pytest.approx(0.075)
    assert row.cheaper == "pitr"


def test_decision_record_in_twelve_months() -> None:
    rows = compare_strategies(HALF_GB, 0.05, backup_retention_days=7, months=12)
    assert [row.month for row in rows] == list(range(13))
    last = rows[-1]
    assert last.size_gb == pytest.approx(1.1)
    assert last.pitr == pytest.approx(0.22)
    assert last.backups == pytest.approx(0.77)


def test_growth_month_by_month() -> None:
    rows = compare_strategies(BYTES_PER_GB, 0.25, backup_retention_days=2, months=4)
    assert [row.size_gb for row in rows] == pytest.approx([1.0, 1.25, 1.5, 1.75, 2.0])
    assert [row.pitr for row in rows] == pytest.approx([0.2, 0.25, 0.3, 0.35, 0.4])
    assert [row.backups for row in rows] == pytest.approx([0.2, 0.25, 0.3, 0.35, 0.4])
    assert [row.restore for row in rows] == pytest.approx([0.15, 0.1875, 0.225, 0.2625, 0.3])


def test_one_day_retention_makes_backups_cheaper() -> None:
    (row,) = compare_strategies(BYTES_PER_GB, 0.0, backup_retention_days=1, months=0)
    assert row.backups == pytest.approx(0.10)
    assert row.cheaper == "backups"


def test_single_table_prices() -> None:
    assert pitr_monthly_cost(HALF_GB) == pytest.approx(0.10)
    assert restore_cost(2 * BYTES_PER_GB) == pytest.approx(0.30)
    assert pitr_monthly_cost(0) == 0
