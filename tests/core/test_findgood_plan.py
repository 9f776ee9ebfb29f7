"""find-good's plan: probes per round chosen for the fewest rounds within the probe budget and
AWS's 50 concurrent restores, the probes each round still needs, and the poll schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lee_console.core.errors import InvalidInput
from lee_console.core.estimate import next_poll_seconds
from lee_console.core.findgood import GoodPointSearch
from lee_console.core.findgood_plan import (
    DEFAULT_PROBE_BUDGET,
    SearchEstimate,
    choose_parallel,
    fixed_parallel,
    planned_probes,
    rounds_for,
    shrink_k,
)

DAYS_35 = 35 * 86400
MINUTE = 60
EARLIEST = datetime(2025, 1, 10, tzinfo=UTC)


def test_35_days_at_one_minute_is_3_rounds_of_36() -> None:
    # 50,400 one-minute slots: 37^3 = 50,653 >= 50,400 > 36^3 = 46,656
    assert rounds_for(DAYS_35, MINUTE, 36) == 3
    assert rounds_for(DAYS_35, MINUTE, 35) == 4
    assert rounds_for(DAYS_35, MINUTE, 1) == 16
    assert rounds_for(DAYS_35, MINUTE, 50) == 3
    choice = choose_parallel(DAYS_35, MINUTE, in_flight=0, budget=DEFAULT_PROBE_BUDGET)
    assert (choice.k, choice.rounds, choice.probes) == (36, 3, 108)
    assert choice.adaptive and "a budget of 120 probes and 50 free" in choice.reason
    assert planned_probes(DAYS_35, MINUTE, 1, adaptive=False) == (16, 16)


def test_the_budget_and_the_running_restores_cap_k() -> None:
    # 60 probes: 3 rounds would take 108, so 4 rounds of 14 (15^4 = 50,625 >= 50,400)
    assert (lambda c: (c.k, c.rounds, c.probes))(choose_parallel(DAYS_35, MINUTE, 0, 60)) == (
        14, 4, 56,
    )  # fmt: skip
    # 30 restores running leave 20 a round: 4 rounds again (20 fits, 14 is the least)
    assert choose_parallel(DAYS_35, MINUTE, 30, 120).k == 14
    # 45 running leave 5: 6^6 = 46,656 < 50,400 <= 6^7... 7 rounds of 5? 6^6 short, so 7
    five = choose_parallel(DAYS_35, MINUTE, 45, 120)
    assert five.k <= 5 and five.rounds == rounds_for(DAYS_35, MINUTE, 5) == 7
    with pytest.raises(InvalidInput) as full:
        choose_parallel(DAYS_35, MINUTE, 50, 120)
    assert full.value.message == (
        "50 restores are running: AWS allows 50 at once, so no probe fits now; wait for some "
        "to finish."
    )
    with pytest.raises(InvalidInput) as poor:
        choose_parallel(DAYS_35, MINUTE, 0, 10)
    assert poor.value.message == (
        "--probe-budget 10 cannot reach the precision over this window: it takes at least 16 "
        "probes; raise it or the precision."
    )


def test_fixed_parallel_and_a_short_window() -> None:
    assert (lambda c: (c.k, c.rounds, c.probes, c.adaptive))(
        fixed_parallel(DAYS_35, MINUTE, 3)
    ) == (3, 8, 24, False)  # fmt: skip
    # a window already within the precision: nothing to probe
    assert choose_parallel(50, MINUTE, 0, 120).rounds == 0
    # 10 minutes at 1 minute: one round of 9 probes
    assert (lambda c: (c.k, c.rounds, c.probes))(choose_parallel(600, MINUTE, 0, 120)) == (
        9, 1, 9,
    )  # fmt: skip


def test_each_round_runs_only_the_probes_that_still_reach_the_planned_rounds() -> None:
    assert shrink_k(1000, 1, 4, 5) == 3  # 4^5 = 1,024 >= 1,000
    assert shrink_k(1000, 1, 4, 4) == 4  # 5^4 = 625: none reaches it, k stays
    # 1,000 minutes, k = 36: 2 rounds (37^2 = 1,369); 31 a round still makes 2 (32^2 = 1,024)
    length = 1000 * MINUTE
    assert planned_probes(length, MINUTE, 36, adaptive=False) == (2, 72)
    assert planned_probes(length, MINUTE, 36, adaptive=True) == (2, 62)


@pytest.mark.parametrize("damage_s", [1, 4000, DAYS_35 // 3, DAYS_35 - 61])
def test_an_adaptive_search_keeps_its_rounds_and_its_planned_probes(damage_s: int) -> None:
    latest = EARLIEST + timedelta(seconds=DAYS_35)
    damage = EARLIEST + timedelta(seconds=damage_s)
    search = GoodPointSearch("t", EARLIEST, latest, timedelta(minutes=1), 36, adaptive=True)
    while not search.done:
        for point in search.next_probes():
            search.record(point, point < damage)
    result = search.result()
    assert result.rounds <= 3 and len(result.probes) <= 108
    assert search.lo < damage <= search.hi and search.hi - search.lo <= timedelta(minutes=1)


def test_the_plan_lines_show_both_ways() -> None:
    choice = choose_parallel(DAYS_35, MINUTE, 0, 120)
    estimate = SearchEstimate(
        "lee-devices", 500 * 2**20, choice.rounds, choice.k, 2100.0, "the record's figure",
        probes=choice.probes, reason=choice.reason, adaptive=True, sequential=(16, 16),
    )  # fmt: skip
    assert estimate.plan_lines() == [
        "Plan: 3 round(s) x up to 36 probe(s) = at most 108 probe restores, $7.91, about 105 min",
        "  chosen: the fewest rounds within a budget of 120 probes and 50 free restores (AWS: 50 "
        "at once)",
        "  vs --parallel 1: 16 round(s) x 1 probe = 16 probe restores, $1.17, about 560 min",
        "  a probe restore: 0.488 GB x $0.15/GB, about 35 min (the record's figure)",
    ]


def test_polls_are_sparse_far_from_the_expected_end_and_dense_near_it() -> None:
    def polls(expected: float, actual: float) -> tuple[int, float]:
        elapsed, count = 0.0, 0
        while elapsed < actual:
            elapsed += next_poll_seconds(elapsed, expected)
            count += 1
        return count, elapsed - actual  # DescribeTable calls, seconds seen late

    assert polls(2100, 2100) == (54, pytest.approx(0.14, abs=0.01))
    calls, late = polls(2100, 2400)  # overdue: every 30 s
    assert late <= 30 and calls < 70
    calls, late = polls(2100, 60)  # far quicker than expected: seen within half its time
    assert late <= 30 and calls == 13
    assert next_poll_seconds(0, 2100) == 0.5  # never a busy wait
    assert next_poll_seconds(500, 2100) == 60.0  # never more than a minute
    assert next_poll_seconds(2000, 2100) == 50.0
    assert next_poll_seconds(3000, 2100) == 30.0
