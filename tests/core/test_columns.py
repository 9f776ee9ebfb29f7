"""Columns are dropped by priority, whole, never cut; the flexible name takes what is left."""

from __future__ import annotations

from lee_console.core.columns import fit_columns

NATURAL = [("name", 30), ("health", 12), ("window", 25), ("cover", 5), ("size", 6)]


def fit(available: int) -> tuple[tuple[str, ...], dict[str, int]]:
    result = fit_columns(NATURAL, available, flexible="name", flexible_min=20, gap=2)
    return result.shown, result.widths


def test_everything_fits_at_its_natural_width_on_a_wide_terminal() -> None:
    shown, widths = fit(200)
    assert shown == ("name", "health", "window", "cover", "size")
    assert widths == dict(NATURAL)


def test_the_lowest_priority_column_goes_first_and_the_name_takes_the_rest() -> None:
    # name 20 + gaps: 22 + 14 + 27 + 7 = 70 fits 75; size (8 more) does not
    shown, widths = fit(75)
    assert shown == ("name", "health", "window", "cover")
    assert widths["name"] == 75 - 14 - 27 - 7 - 2
    assert all(widths[key] == dict(NATURAL)[key] for key in shown if key != "name")


def test_a_column_is_never_cut_and_none_after_a_dropped_one_shows() -> None:
    shown, _ = fit(62)  # name 22 + health 14 + window 27 = 63 > 62
    assert shown == ("name", "health")


def test_a_short_name_needs_only_its_own_width() -> None:
    natural = [("name", 11), ("health", 12), ("window", 25)]
    result = fit_columns(natural, 54, flexible="name", flexible_min=20, gap=2)
    assert result.shown == ("name", "health", "window")
    assert result.widths["name"] == 11
    assert result.hidden(["name", "health", "window", "cover"]) == ("cover",)


def test_the_name_always_shows_even_on_a_tiny_terminal() -> None:
    shown, widths = fit(10)
    assert shown == ("name",)
    assert widths["name"] == 8
    assert fit(1)[1]["name"] == 1
