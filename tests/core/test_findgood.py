"""The find-good search: round bound with a fake oracle, k probes per round, edge cases."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from lee_console.core.errors import InvalidInput
from lee_console.core.findgood import (
    GoodPointSearch,
    SearchEstimate,
    SearchResult,
    check_parallel,
    max_rounds,
    parse_precision,
    plan_rounds,
    probe_name,
)

EARLIEST = datetime(2025, 1, 10, 0, 0, 0, tzinfo=UTC)
LATEST = EARLIEST + timedelta(days=35)


def run_search(
    damage: datetime, precision: timedelta, k: int, earliest: datetime = EARLIEST
) -> tuple[GoodPointSearch, SearchResult]:
    """A fake oracle: every point before ``damage`` is good, ``damage`` and later bad."""
    search = GoodPointSearch("lee-devices", earliest, LATEST, precision, k)
    while not search.done:
        points = search.next_probes()
        assert 1 <= len(points) <= k
        assert all(earliest <= p <= LATEST for p in points)
        for point in points:
            search.record(point, point < damage)
    return search, search.result()


@pytest.mark.parametrize("k", [1, 2, 3, 7, 50])
@pytest.mark.parametrize(
    "precision", [timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1)]
)
@pytest.mark.parametrize("offset_seconds", [1, 3599, 86400 * 17 + 123, 86400 * 35 - 2])
def test_round_bound_and_precision(k: int, precision: timedelta, offset_seconds: int) -> None:
    damage = EARLIEST + timedelta(seconds=offset_seconds)
    search, result = run_search(damage, precision, k)
    window = (LATEST - EARLIEST) / precision
    bound = math.ceil(math.log2(window))
    assert result.rounds <= bound == result.max_rounds
    assert result.rounds <= plan_rounds(EARLIEST, LATEST, precision, k)
    assert plan_rounds(EARLIEST, LATEST, precision, k) <= math.ceil(math.log(window, k + 1))
    assert result.complete and not result.non_monotone
    assert search.hi - search.lo <= precision
    if result.last_good is not None:
        assert result.last_good < damage
        assert damage - result.last_good <= precision
    if result.first_bad is not None:
        assert result.first_bad >= damage
    assert search.lo < damage <= search.hi
    assert len(result.probes) <= result.rounds * k


def test_k_probes_per_round_shrink_by_k_plus_one() -> None:
    search = GoodPointSearch(
        "t", EARLIEST, EARLIEST + timedelta(seconds=1000), timedelta(seconds=1), 4
    )
    points = search.next_probes()
    assert [int((p - EARLIEST).total_seconds()) for p in points] == [200, 400, 600, 800]
    for point in points:
        search.record(point, point <= EARLIEST + timedelta(seconds=400))
    assert (search.lo, search.hi) == (points[1], points[2])
    assert plan_rounds(EARLIEST, EARLIEST + timedelta(seconds=1000), timedelta(seconds=1), 4) == 5


def test_all_good_and_all_bad() -> None:
    _, clean = run_search(LATEST + timedelta(days=1), timedelta(hours=1), 1)
    assert clean.first_bad is None and clean.last_good is not None
    assert LATEST - clean.last_good <= timedelta(hours=1)
    assert "every probe" in clean.describe() and "clean" in clean.describe()
    _, ruined = run_search(EARLIEST, timedelta(hours=1), 1)
    assert ruined.last_good is None and ruined.first_bad is not None
    assert ruined.first_bad - EARLIEST <= timedelta(hours=1)
    assert "every probe" in ruined.describe()


def test_non_monotone_is_flagged_and_still_ends() -> None:
    search = GoodPointSearch("t", EARLIEST, LATEST, timedelta(hours=1), 3)
    first = True
    while not search.done:
        points = search.next_probes()
        for index, point in enumerate(points):
            # the first round: bad, good, bad (a fix by hand in between)
            search.record(point, index == 1 if first else False)
        first = False
    assert search.result().non_monotone
    assert search.rounds <= max_rounds(EARLIEST, LATEST, timedelta(hours=1))


def test_record_checks_the_round_and_pending_keeps_the_round() -> None:
    search = GoodPointSearch("t", EARLIEST, LATEST, timedelta(hours=1), 2)
    points = search.next_probes()
    with pytest.raises(ValueError):
        search.record(EARLIEST + timedelta(seconds=7), True)
    search.record(points[0], True)
    assert search.pending == [points[1]]
    assert search.next_probes() == [points[1]]
    assert search.rounds == 1


def test_small_window_and_fractional_bounds() -> None:
    earliest = EARLIEST + timedelta(microseconds=500)
    search = GoodPointSearch("t", earliest, earliest + timedelta(seconds=5), timedelta(seconds=1))
    assert search.lo == EARLIEST + timedelta(seconds=1)
    assert search.max_rounds == 2
    done = GoodPointSearch("t", EARLIEST, EARLIEST, timedelta(minutes=1))
    assert done.done and done.next_probes() == [] and done.result().rounds == 0
    with pytest.raises(InvalidInput):
        GoodPointSearch("t", LATEST, EARLIEST, timedelta(minutes=1))


def test_result_json_lists_probes_with_times() -> None:
    _, result = run_search(EARLIEST + timedelta(days=20), timedelta(hours=1), 2)
    data = result.to_json()
    assert data["rounds"] == result.rounds and data["precision_seconds"] == 3600
    assert data["probes"][0]["restore_point"].endswith("Z")
    assert data["probes"][0]["target"].startswith("lee-devices-probe-")
    assert data["last_good"] and data["first_bad"]


def test_parse_precision() -> None:
    assert parse_precision("1m") == timedelta(minutes=1)
    assert parse_precision("2h30m") == timedelta(hours=2, minutes=30)
    assert parse_precision("45") == timedelta(seconds=45)
    assert parse_precision("1d") == timedelta(days=1)
    for bad in ("", "0s", "abc", "1x"):
        with pytest.raises(InvalidInput):
            parse_precision(bad)


def test_parallel_limit_and_names_and_cost() -> None:
    check_parallel(50, 0)
    check_parallel(2, 48)
    with pytest.raises(InvalidInput, match="48 restore"):
        check_parallel(3, 48)
    with pytest.raises(InvalidInput):
        check_parallel(0, 0)
    assert probe_name("lee-devices", EARLIEST) == "lee-devices-probe-20250110T000000Z"
    estimate = SearchEstimate("t", 2 * 2**30, rounds=10, probes_per_round=3,
                              restore_seconds=600, basis="b")  # fmt: skip
    assert estimate.restores == 30
    assert estimate.cost == pytest.approx(30 * 2 * 0.15)
    assert estimate.duration_seconds == 6000
    assert "$9.00" in estimate.describe() and "100 min" in estimate.describe()


def test_a_precision_of_thousands_of_digits_is_out_of_range() -> None:
    digits = "9" * 5000  # int() refuses more than 4,300 digits with a ValueError
    with pytest.raises(InvalidInput) as caught:
        parse_precision(digits)
    assert caught.value.message == (
        f"The precision {digits!r} is out of range: give one from 1s to 35d (the longest PITR "
        "window)."
    )
