"""The timeline's framing: the zoom it opens at, the activity chart over several rows, the
markers' names and the list of the markers nearest the cursor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lee_console.core.timeline import Marker, MarkerKind, TimelineState
from lee_console.core.timeline_frame import (
    activity_rows,
    band_height,
    label_row,
    nearest_markers,
    opening_zoom,
)
from lee_console.core.timeline_view import activity_buckets, column_of

NOW = datetime(2025, 2, 14, 11, 52, tzinfo=UTC)
LATEST = NOW - timedelta(minutes=5)
EARLIEST = LATEST - timedelta(days=35)
DEPLOY = datetime(2025, 2, 14, 11, 23, tzinfo=UTC)
W = 78


def state(cursor: datetime | None = None, **kw: object) -> TimelineState:
    return TimelineState.create(EARLIEST, LATEST, NOW, cursor=cursor, **kw)  # type: ignore[arg-type]


def test_opens_close_enough_to_see_both_sides_of_the_cursor() -> None:
    one_minute_before = DEPLOY - timedelta(minutes=1)  # 30 min before now
    assert opening_zoom(state(one_minute_before)) == 2  # 1 h, the cursor in the middle
    start, end = state(one_minute_before, zoom_index=2).viewport()
    assert (start, end) == (NOW - timedelta(hours=1), NOW)
    assert opening_zoom(state(NOW - timedelta(days=3))) == 2  # well inside the window
    assert opening_zoom(state(NOW - timedelta(minutes=12))) == 0  # 1 h, 1 d: at the edge
    assert opening_zoom(state()) == 0  # the latest second: the whole window


def test_the_jump_in_writes_is_visible_at_the_opening_zoom() -> None:
    samples = [(NOW - timedelta(minutes=m), 12.0 + m % 7) for m in range(1, 2880)]
    samples = [(t, v + 55.0 if t >= DEPLOY else v) for t, v in samples]
    opened = state(DEPLOY - timedelta(minutes=1), activity=samples)
    opened = state(DEPLOY - timedelta(minutes=1), activity=samples, zoom_index=opening_zoom(opened))
    top = max(v for _, v in samples)
    rows = activity_rows(activity_buckets(opened, W), "▁▂▃▄▅▆▇█", 3, top)
    deploy = column_of(opened, DEPLOY, W)
    assert deploy is not None and W // 3 < deploy < 2 * W // 3
    before = {row[deploy - 5] for row in rows[:2]}
    after = {row[deploy + 5] for row in rows}
    assert before == {" "} and after == {"█"}  # two empty rows above before, full after


def test_activity_rows_stack_the_levels() -> None:
    rows = activity_rows([0.0, 1.0, 4.0, 8.0], "abcd", 2)
    assert rows == ["   d", " add"]  # 4 of 8 fills the lower row, 8 both
    assert activity_rows([0.0, 0.0], "ab", 3) == ["  ", "  ", "  "]
    assert activity_rows([0.001, 100.0], "ab", 1) == ["ab"]  # above zero always shows


def test_labels_name_the_markers_in_view_without_touching() -> None:
    markers = (
        Marker(DEPLOY, MarkerKind.DEPLOYMENT, "lee-engine:43"),
        Marker(DEPLOY + timedelta(seconds=30), MarkerKind.BACKUP, "daily"),
        Marker(datetime(2025, 2, 14, 11, 0, tzinfo=UTC), MarkerKind.BACKUP, "daily"),
    )
    view = state(DEPLOY - timedelta(minutes=1), markers=markers, zoom_index=2)
    row = label_row(view, W)
    assert len(row) == W
    assert row.index("lee-engine:43") == column_of(view, DEPLOY, W)
    assert "11:00" in row  # the backup at 11:00, by its time
    assert row.count("11:23") == 0  # the backup beside the deployment would touch it


def test_nearest_markers_nearest_first_with_exact_times() -> None:
    markers = (
        Marker(DEPLOY, MarkerKind.DEPLOYMENT, "lee-engine:43"),
        Marker(datetime(2025, 2, 14, 3, 0, tzinfo=UTC), MarkerKind.BACKUP, "daily"),
    )
    lines = nearest_markers(state(DEPLOY - timedelta(minutes=1), markers=markers), 5)
    assert lines == [
        "D 2025-02-14 11:23:00 UTC        1 min after  deployment lee-engine:43",
        "B 2025-02-14 03:00:00 UTC  8 h 22 min before  backup daily",
    ]


def test_band_height_grows_with_the_terminal() -> None:
    assert (band_height(24), band_height(40), band_height(10)) == (3, 8, 1)
