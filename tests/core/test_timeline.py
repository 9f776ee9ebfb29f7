"""Unit tests for the PITR timeline math (lee_console.core.timeline and timeline_view)."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from lee_console.core.timeline import (
    STEPS,
    ZOOM_SPANS,
    Marker,
    MarkerKind,
    TimelineState,
    format_ago,
    format_span,
    format_utc,
)
from lee_console.core.timeline_view import (
    ASCII_GLYPHS,
    Zone,
    activity_buckets,
    cells,
    column_of,
    describe_cursor,
    legend,
    marker_text,
    markers_in_column,
    sparkline,
    tick_rows,
    ticks,
    time_at_column,
    view_text,
    viewport,
)

NOW = datetime(2026, 11, 25, 2, 11, 5, tzinfo=UTC)
EARLIEST = NOW - timedelta(days=35)
LATEST = NOW - timedelta(minutes=5)
DEPLOY = NOW - timedelta(minutes=25)
W = 78


def make(**kw: object) -> TimelineState:
    return TimelineState.create(EARLIEST, LATEST, NOW, **kw)  # type: ignore[arg-type]


def deploy_marker() -> Marker:
    return Marker(DEPLOY, MarkerKind.DEPLOYMENT, "lee-ingest:7")


# -- constants and construction ------------------------------------------------------------


def test_steps_and_zoom_spans() -> None:
    assert [s.total_seconds() for s in STEPS] == [1, 10, 60, 300, 900, 3600, 21600, 86400]
    assert (
        timedelta(days=35),
        timedelta(days=1),
        timedelta(hours=1),
        timedelta(minutes=10),
    ) == ZOOM_SPANS


def test_create_defaults_cursor_to_latest_and_step_to_one_minute() -> None:
    state = make()
    assert state.cursor == LATEST
    assert state.step == timedelta(minutes=1)
    assert state.zoom_index == 0
    assert state.lag == timedelta(minutes=5)


def test_create_rounds_window_inwards_to_whole_seconds() -> None:
    state = TimelineState.create(
        EARLIEST + timedelta(microseconds=300),
        LATEST + timedelta(microseconds=900),
        NOW + timedelta(microseconds=1),
        cursor=DEPLOY + timedelta(microseconds=999_999),
    )
    assert state.earliest == EARLIEST + timedelta(seconds=1)
    assert state.latest == LATEST
    assert state.cursor == DEPLOY
    assert state.cursor.microsecond == 0


def test_naive_times_are_utc_and_other_zones_are_converted() -> None:
    cet = timezone(timedelta(hours=1))
    state = TimelineState.create(
        EARLIEST.replace(tzinfo=None), LATEST.astimezone(cet), NOW, cursor=DEPLOY.astimezone(cet)
    )
    assert state.earliest == EARLIEST and state.earliest.tzinfo is UTC
    assert state.latest.tzinfo is UTC and state.cursor == DEPLOY


def test_create_refuses_a_window_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends"):
        TimelineState.create(LATEST, EARLIEST, NOW)


def test_create_clamps_cursor_and_now() -> None:
    state = TimelineState.create(EARLIEST, LATEST, LATEST - timedelta(minutes=1), cursor=NOW)
    assert state.now == LATEST  # a clock behind AWS's latest time: no negative lag
    assert state.cursor == LATEST


def test_markers_sorted_by_time_then_priority() -> None:
    at = DEPLOY
    markers = [
        Marker(at, MarkerKind.BACKUP, "b"),
        Marker(at - timedelta(hours=1), MarkerKind.BOOKMARK, "x"),
        Marker(at, MarkerKind.DEPLOYMENT, "d"),
    ]
    state = make(markers=markers)
    assert [m.label for m in state.markers] == ["x", "d", "b"]


# -- moves ---------------------------------------------------------------------------------


def test_move_by_step() -> None:
    state = make(cursor=DEPLOY)
    moved, reason = state.move(-1)
    assert reason is None
    assert moved.cursor == DEPLOY - timedelta(minutes=1)
    assert moved.move(3).state.cursor == DEPLOY + timedelta(minutes=2)


def test_move_past_latest_stops_at_the_edge_and_says_why() -> None:
    state = make(cursor=LATEST - timedelta(seconds=20))
    moved, reason = state.move(1)
    assert moved.cursor == LATEST
    assert reason == (
        "The cursor stops at the latest restorable time 2026-11-25 02:06:05 UTC: "
        "AWS can restore only up to about 5 min ago (LatestRestorableDateTime)."
    )
    again, reason2 = moved.move(1)
    assert again == moved and reason2 == reason


def test_move_past_earliest_stops_at_the_edge_and_says_why() -> None:
    state = make(cursor=EARLIEST + timedelta(seconds=30))
    moved, reason = state.move(-1)
    assert moved.cursor == EARLIEST
    assert reason == (
        "The cursor stops at the earliest restorable time 2026-10-21 02:11:05 UTC: "
        "PITR keeps nothing older."
    )


def test_step_finer_and_coarser_walk_the_steps_and_refuse_at_the_ends() -> None:
    state = make()
    while (out := state.step_finer()).reason is None:
        state = out.state
    assert out.state == state and out.reason == "The step is already the finest, 1 s."
    seen = [state.step]
    while (out := state.step_coarser()).reason is None:
        state = out.state
        seen.append(state.step)
    assert out.reason == "The step is already the coarsest, 1 d."
    assert tuple(seen) == STEPS


def test_jump_to_edges() -> None:
    state = make(cursor=DEPLOY)
    assert state.jump_earliest() == (state.jump_earliest().state, None)
    assert state.jump_earliest().state.cursor == EARLIEST
    assert state.jump_latest().state.cursor == LATEST


def test_set_cursor_inside_outside_and_clamped() -> None:
    state = make()
    assert state.set_cursor(DEPLOY + timedelta(milliseconds=700)).state.cursor == DEPLOY
    refused, reason = state.set_cursor(NOW - timedelta(minutes=1))
    assert refused == state
    assert reason is not None
    assert "2026-10-21 02:11:05 UTC to 2026-11-25 02:06:05 UTC" in reason
    assert "LatestRestorableDateTime" in reason
    old, reason_old = state.set_cursor(EARLIEST - timedelta(days=1))
    assert old == state and "PITR keeps nothing older" in (reason_old or "")
    clamped, why = state.set_cursor(EARLIEST - timedelta(days=1), clamp=True)
    assert clamped.cursor == EARLIEST and why is not None


# -- zoom and viewport ---------------------------------------------------------------------


def test_widest_zoom_shows_the_whole_window() -> None:
    assert viewport(make()) == (EARLIEST, NOW)


def test_zoom_in_at_latest_keeps_now_and_the_lag_band_in_view() -> None:
    state = make()
    for span in ZOOM_SPANS[1:]:
        state = state.zoom_in().state
        start, end = viewport(state)
        assert end - start == span
        assert end == NOW
        assert any(c.zone is Zone.LAG for c in cells(state, W))
        assert column_of(state, state.cursor, W) is not None
    assert "closest" in (state.zoom_in().reason or "")


def test_zoom_centres_the_cursor_when_it_can() -> None:
    state = make(cursor=EARLIEST + timedelta(days=10))
    zoomed = state.zoom_in().state
    start, end = viewport(zoomed)
    assert end - start == timedelta(days=1)
    assert zoomed.cursor - start == end - zoomed.cursor == timedelta(hours=12)
    closer = zoomed.zoom_in().state
    start, end = viewport(closer)
    assert closer.cursor - start == end - closer.cursor == timedelta(minutes=30)
    near_now = make(cursor=NOW - timedelta(hours=2)).zoom_in().state  # 1 d: cannot centre
    assert viewport(near_now) == (NOW - timedelta(days=1), NOW)
    assert zoomed.zoom_out().state.zoom_index == 0
    assert viewport(zoomed.zoom_out().state) == (EARLIEST, NOW)
    assert "whole" in (state.zoom_out().reason or "")


def test_zoom_near_earliest_stays_inside_the_window() -> None:
    state = make(cursor=EARLIEST)
    for _ in ZOOM_SPANS[1:]:
        state = state.zoom_in().state
        assert viewport(state)[0] == EARLIEST


def test_viewport_follows_the_cursor() -> None:
    state = make(cursor=DEPLOY, zoom_index=3)  # 10 minutes across
    state = state.jump_earliest().state
    start, end = viewport(state)
    assert start == EARLIEST and end - start == timedelta(minutes=10)
    state = state.step_coarser().state.step_coarser().state.move(1).state  # +5 min
    state = state.move(1).state.move(1).state
    start, end = viewport(state)
    assert start <= state.cursor <= end


def test_zoom_on_a_short_window_never_leaves_it() -> None:
    state = TimelineState.create(NOW - timedelta(minutes=30), LATEST, NOW, zoom_index=1)
    assert viewport(state) == (NOW - timedelta(minutes=30), NOW)


# -- markers and bookmarks -----------------------------------------------------------------


def test_next_and_prev_marker() -> None:
    backup = Marker(NOW - timedelta(days=3), MarkerKind.BACKUP, "nightly")
    state = make(markers=[deploy_marker(), backup])
    prev = state.prev_marker().state
    assert prev.cursor == DEPLOY
    assert prev.prev_marker().state.cursor == backup.at
    assert prev.next_marker().reason == "No marker after 2026-11-25 01:46:05 UTC."
    first = prev.prev_marker().state
    assert first.prev_marker().reason == "No marker before 2026-11-22 02:11:05 UTC."
    assert first.next_marker().state.cursor == DEPLOY


def test_marker_outside_the_window_refuses_with_a_reason() -> None:
    late = Marker(NOW - timedelta(minutes=2), MarkerKind.DEPLOYMENT, "lee-ingest:8")
    old = Marker(EARLIEST - timedelta(days=2), MarkerKind.BACKUP, "old")
    state = make(markers=[late, old], cursor=DEPLOY)
    same, reason = state.next_marker()
    assert same == state
    assert reason is not None and "after the latest restorable time" in reason
    assert "lee-ingest:8" in reason
    same, reason = state.prev_marker()
    assert same == state and "before the earliest" in (reason or "")


def test_bookmarks() -> None:
    state = make(cursor=DEPLOY)
    added, reason = state.add_bookmark()
    assert reason is None
    assert [m.kind for m in added.markers_at(DEPLOY)] == [MarkerKind.BOOKMARK]
    assert "already" in (added.add_bookmark().reason or "")
    removed, reason = added.remove_bookmark()
    assert reason is None and removed.markers == ()
    assert "No bookmark" in (removed.remove_bookmark().reason or "")
    assert "not restorable" in (state.add_bookmark(NOW).reason or "")


def test_with_markers_keeps_bookmarks_unless_told() -> None:
    state = make(cursor=DEPLOY - timedelta(hours=1)).add_bookmark().state
    fresh = state.with_markers([deploy_marker()])
    assert [m.kind for m in fresh.markers] == [MarkerKind.BOOKMARK, MarkerKind.DEPLOYMENT]
    assert fresh.bookmarks == state.bookmarks
    assert fresh.with_markers(fresh.markers).markers == fresh.markers  # no duplicates
    assert state.with_markers([], keep_bookmarks=False).markers == ()


def test_with_window_keeps_the_cursor_or_says_why_it_moved() -> None:
    state = make(cursor=DEPLOY, markers=[deploy_marker()])
    later = NOW + timedelta(minutes=1)
    fresh, reason = state.with_window(
        EARLIEST + timedelta(minutes=1), LATEST + timedelta(minutes=1), later
    )
    assert reason is None and fresh.cursor == DEPLOY and fresh.now == later
    assert fresh.markers == state.markers
    at_edge = make(cursor=EARLIEST)
    moved, reason = at_edge.with_window(EARLIEST + timedelta(minutes=1), LATEST, NOW)
    assert moved.cursor == EARLIEST + timedelta(minutes=1)
    assert reason is not None and "window moved" in reason


# -- columns -------------------------------------------------------------------------------


def test_column_mapping_round_trips() -> None:
    for zoom in range(len(ZOOM_SPANS)):
        state = make(zoom_index=zoom)
        start, end = viewport(state)
        assert column_of(state, start, W) == 0
        assert column_of(state, end, W) == W - 1
        assert column_of(state, start - timedelta(seconds=1), W) is None
        for col in range(W):
            assert column_of(state, time_at_column(state, col, W), W) == col


def test_cells_zones_marker_priority_and_cursor() -> None:
    markers = [
        Marker(DEPLOY, MarkerKind.BACKUP, "b"),
        Marker(DEPLOY + timedelta(seconds=1), MarkerKind.DEPLOYMENT, "d"),
    ]
    state = make(markers=markers)
    row = cells(state, W)
    assert len(row) == W
    assert row[-1].zone is Zone.LAG  # 5 minutes of 35 days: still one column
    assert all(c.zone is Zone.RESTORABLE for c in row[:-1])
    assert row[-1].marker is MarkerKind.DEPLOYMENT and row[-1].marker_count == 2
    assert [c.cursor for c in row].index(True) == W - 1
    assert [m.label for m in markers_in_column(state, W - 1, W)] == ["d", "b"]
    on_backup = state.set_cursor(DEPLOY).state
    assert [m.label for m in markers_in_column(on_backup, W - 1, W)] == ["b", "d"]


def test_cells_at_ten_minutes_show_half_lag() -> None:
    state = make(zoom_index=3)
    lag = [c for c in cells(state, W) if c.zone is Zone.LAG]
    assert len(lag) == W // 2


def test_activity_buckets_take_the_largest_sample_per_column() -> None:
    samples = [(DEPLOY - timedelta(minutes=m), 10.0) for m in range(1, 120)]
    samples += [(DEPLOY + timedelta(minutes=m), 50.0 + m) for m in range(25)]
    state = make(activity=samples, zoom_index=2)  # 1 hour across, ~46 s a column
    buckets = activity_buckets(state, W)
    assert len(buckets) == W
    deploy_col = column_of(state, DEPLOY, W)
    assert deploy_col is not None
    assert set(buckets[: deploy_col - 1]) == {10.0}
    assert max(buckets) == 74.0
    assert min(buckets[deploy_col + 2 :]) >= 50.0
    wide = activity_buckets(make(activity=samples), W)
    assert wide[-1] == 74.0 and wide[0] == 0.0


def test_sparkline_scales_to_top() -> None:
    assert sparkline([0.0, 1.0, 2.0, 4.0], "abcd") == " abd"
    assert sparkline([0.0, 1.0], "abcd", top=4.0) == " a"
    assert sparkline([0.0, 0.0], "abcd") == "  "


@pytest.mark.parametrize("zoom", range(len(ZOOM_SPANS)))
def test_ticks_fit_and_do_not_touch(zoom: int) -> None:
    state = make(zoom_index=zoom)
    marks = ticks(state, W)
    assert len(marks) >= 3
    for a, b in itertools.pairwise(marks):
        assert a.column + len(a.label) + 2 <= b.column
    assert marks[-1].column + len(marks[-1].label) <= W


def test_tick_formats_follow_the_zoom() -> None:
    assert ticks(make(), W)[0].label == "10-22"
    assert ticks(make(zoom_index=2), W)[0].label.count(":") == 1
    assert ticks(make(zoom_index=3), W, gap=1)[0].label.count(":") in (1, 2)


# -- labels --------------------------------------------------------------------------------


def test_describe_cursor() -> None:
    cet = timezone(timedelta(hours=1), "CET")
    told = describe_cursor(make(cursor=DEPLOY), cet)
    assert told.utc == "2026-11-25 01:46:05 UTC"
    assert told.local == "2026-11-25 02:46:05 CET"
    assert told.relative == "25 min ago"
    assert describe_cursor(make(cursor=EARLIEST), UTC).relative == "35 d ago"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (65, "1 min 5 s"),
        (24 * 60 + 30, "24 min"),
        (2 * 3600 + 5 * 60, "2 h 5 min"),
        (3600, "1 h"),
        (3 * 86400 + 2 * 3600 + 59, "3 d 2 h"),
    ],
)
def test_format_span(seconds: int, text: str) -> None:
    assert format_span(timedelta(seconds=seconds)) == text


def test_format_ago_and_utc() -> None:
    assert format_ago(NOW, NOW) == "now"
    assert format_ago(NOW - timedelta(minutes=24), NOW) == "24 min ago"
    assert format_utc(NOW.astimezone(timezone(timedelta(hours=-5)))) == "2026-11-25 02:11:05 UTC"


def test_texts_for_the_status_rows() -> None:
    assert marker_text(deploy_marker()) == "deployment lee-ingest:7 at 2026-11-25 01:46:05 UTC"
    assert marker_text(Marker(DEPLOY, MarkerKind.BOOKMARK, "")) == (
        "bookmark at 2026-11-25 01:46:05 UTC"
    )
    assert view_text(make()) == "view 35 d"
    assert view_text(make(zoom_index=2)) == "view 1 h"
    assert legend(make(), ASCII_GLYPHS)[:3] == ["= restorable", "~ lag 5 min", ".@ writes"]
    marks, labels = tick_rows(make(), W)
    assert len(marks) == len(labels) == W
    assert labels.split() == [t.label for t in ticks(make(), W)]
    assert [i for i, c in enumerate(marks) if c == "|"] == [t.column for t in ticks(make(), W)]
    assert "".join(ASCII_GLYPHS.__dict__.values()).isascii()


def test_core_timeline_imports_no_textual() -> None:
    code = (
        "import sys, lee_console.core.timeline, lee_console.core.timeline_view;"
        "bad = {'textual', 'rich', 'boto3'} & set(sys.modules); assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
