"""find-good's default (K chosen, rounds of parallel probe restores) against the decision
record's day-by-day loop and against one probe a round, in the same run.

    python bench/bench_findgood.py [--restore-seconds 3] [--items 300] [--precision 1m]
        [--aws-restore-minutes 20 40] [--skip-sequential]

A sandbox (``python -m lee_console.sandbox --scenario gradual-corruption``) is started in a
subprocess with every restore taking --restore-seconds (a model of AWS's 20-40 minutes, scaled
down). Its truth file gives the damage start; the first damaging write is the earliest
updated_at among the damaged keys (each damaging write stamps its item). Then, one after the
other, against the same table:

- find-good's default: ``estimate_search`` with no --parallel (K chosen: the fewest rounds
  within the probe budget and the 50 concurrent restores), then ``find_good_point`` with that
  K, adaptive rounds and polling from the expected restore time (given as the sandbox's restore
  time, as a restore history would give it);
- find-good --parallel 1 (the default before): one probe a round, the same polling;
- the decision record's loop (DEC-03, "Scenario 3: Gradual Corruption"), as written, in boto3:
  for days_ago in 1..35, restore the table at now - days_ago days into lee-devices-test, wait
  for it (the record's table_exists waiter polls every 20 s of a 20-40 min restore: scaled to
  the same share here), check it with the rules (its verify_data_integrity), stop at the first
  good one, else delete it and go one day further back. The record stops there, a day from the
  damage; "then narrow" is measured as the next step anyone would take, the same loop bisecting
  the day after that good point to --precision, one restore at a time.

Each way must bracket the first damaging write (last good <= its second <= first bad: the
stamp is the write's second, and a restore to that second may come before the write).
Printed per way: rounds of restores (restores one after the other), probes, precision
reached, wall time here, and the time AWS would take: rounds x --aws-restore-minutes (the
checks, a scan of the table each, are left out of the projection: the same per round).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from lee_console.aws.findgood import estimate_search, find_good_point
from lee_console.aws.scan import get_item
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.aws.verify import check_table, describe_shape
from lee_console.core.findgood import parse_precision
from lee_console.store.journal_file import Journal
from lee_console.store.rules_file import load_rules_for

TABLE = "lee-devices"
TEST_TABLE = "lee-devices-test"  # the record's target name
RULES = load_rules_for(TABLE)
WAITER_DELAY_S = 20.0  # boto3's table_exists waiter
RECORD_RESTORE_S = 30 * 60.0  # the record's 20-40 min, its middle


@dataclass
class Way:
    name: str
    rounds: int  # restores one after the other
    probes: int
    last_good: datetime | None
    first_bad: datetime | None
    seconds: float

    @property
    def precision(self) -> timedelta | None:
        if self.last_good is None or self.first_bad is None:
            return None
        return self.first_bad - self.last_good


@contextmanager
def _sandbox(restore_seconds: float, items: int, truth: Path) -> Iterator[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from sandbox_process import running_sandbox

    with running_sandbox(
        "gradual-corruption", restore_seconds=restore_seconds, restore_lag=0, items=items,
        truth_file=truth,
    ) as (url, _):  # fmt: skip
        yield url


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _first_damage(aws: Aws, truth: dict[str, Any]) -> datetime:
    stamps = []
    for key in truth["damaged_keys"]:
        item = get_item(aws, TABLE, key)
        assert item is not None and not RULES.passes(item), key
        stamps.append(_parse(str(item["updated_at"])))
    return min(stamps)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def find_good(aws: Aws, precision: timedelta, restore_s: float, parallel: int | None) -> Way:
    estimate, earliest, latest = estimate_search(aws, TABLE, precision, parallel)
    seconds, result = _timed(
        lambda: find_good_point(
            aws, TABLE, RULES, precision=precision, parallel=estimate.probes_per_round,
            adaptive=estimate.adaptive, window=(earliest, latest), restore_seconds=restore_s,
        )
    )  # fmt: skip
    assert result.complete and not result.left_behind, result.to_json()
    name = "find-good default" if parallel is None else f"find-good --parallel {parallel}"
    name += f" (K={estimate.probes_per_round})" if parallel is None else ""
    return Way(name, result.rounds, len(result.probes), result.last_good, result.first_bad,
               seconds)  # fmt: skip


class RecordLoop:
    """The record's loop in boto3: restore, wait, check, delete, one probe at a time."""

    def __init__(self, url: str, aws: Aws, restore_s: float) -> None:
        self.raw: Any = boto3.client(
            "dynamodb", endpoint_url=url, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
        )  # fmt: skip
        self.aws = aws
        self.delay = WAITER_DELAY_S * restore_s / RECORD_RESTORE_S  # the waiter, scaled
        self.probes = 0

    def _status(self) -> str | None:
        try:
            return str(self.raw.describe_table(TableName=TEST_TABLE)["Table"]["TableStatus"])
        except self.raw.exceptions.ResourceNotFoundException:
            return None

    def probe(self, point: datetime) -> bool:
        """Restore at ``point``, wait until ACTIVE, check with the rules, delete."""
        self.probes += 1
        self.raw.restore_table_to_point_in_time(
            SourceTableName=TABLE, TargetTableName=TEST_TABLE, RestoreDateTime=point,
            UseLatestRestorableTime=False,
        )  # fmt: skip
        while self._status() != "ACTIVE":
            time.sleep(self.delay)
        shape = describe_shape(self.aws, TEST_TABLE)
        good = check_table(self.aws, TEST_TABLE, RULES, shape.key_names, now=datetime.now(UTC))
        self.raw.delete_table(TableName=TEST_TABLE)
        while self._status() is not None:
            time.sleep(self.delay)
        return good.passed

    def days(self) -> tuple[datetime | None, datetime | None]:
        """for days_ago in range(1, 36): the first good day going back (and the bad one
        before it)."""
        now = datetime.now(UTC).replace(microsecond=0)
        first_bad = None
        for days_ago in range(1, 36):
            point = now - timedelta(days=days_ago)
            if self.probe(point):
                return point, first_bad
            first_bad = point
        return None, first_bad

    def narrow(
        self, good: datetime, bad: datetime, precision: timedelta
    ) -> tuple[datetime, datetime]:
        """Bisect (good, bad] to ``precision``, one restore at a time."""
        while bad - good > precision:
            middle = good + timedelta(seconds=int((bad - good).total_seconds()) // 2)
            if self.probe(middle):
                good = middle
            else:
                bad = middle
        return good, bad


def record_ways(url: str, aws: Aws, restore_s: float, precision: timedelta) -> list[Way]:
    loop = RecordLoop(url, aws, restore_s)
    started = time.perf_counter()
    good, bad = loop.days()
    day_s, day_probes = time.perf_counter() - started, loop.probes
    ways = [Way("record's day loop", day_probes, day_probes, good, bad, day_s)]
    if good is not None and bad is not None:
        good, bad = loop.narrow(good, bad, precision)
        ways.append(Way(f"record's loop, then bisect to {_span(precision)}", loop.probes,
                        loop.probes, good, bad, time.perf_counter() - started))  # fmt: skip
    return ways


def _span(delta: timedelta | None) -> str:
    if delta is None:
        return "-"
    seconds = int(delta.total_seconds())
    if seconds >= 86400 and seconds % 3600 == 0:
        return f"{seconds / 86400:g} d"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds // 60} min" + (f" {seconds % 60} s" if seconds % 60 else "")
    return f"{seconds} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restore-seconds", type=float, default=3.0)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--precision", default="1m")
    parser.add_argument("--aws-restore-minutes", type=float, nargs=2, default=(20.0, 40.0))
    parser.add_argument("--skip-sequential", action="store_true", help="no --parallel 1 run")
    args = parser.parse_args()
    precision = parse_precision(args.precision)
    with tempfile.TemporaryDirectory() as folder, _sandbox(
        args.restore_seconds, args.items, Path(folder) / "truth.json"
    ) as url:  # fmt: skip
        truth = json.loads((Path(folder) / "truth.json").read_text())
        aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1"),
                  Journal(Path(folder) / "journals", "bench-findgood"))  # fmt: skip
        first_damage = _first_damage(aws, truth)
        days_back = (datetime.now(UTC) - first_damage).total_seconds() / 86400
        print(
            f"gradual-corruption, {args.items} devices, {len(truth['damaged_keys'])} damaged; "
            f"damage start {truth['damage_start']}, first damaging write "
            f"{first_damage:%Y-%m-%dT%H:%M:%SZ} ({days_back:.1f} days back); restores take "
            f"{args.restore_seconds:g} s here (AWS: {args.aws_restore_minutes[0]:g}-"
            f"{args.aws_restore_minutes[1]:g} min)"
        )
        ways = [find_good(aws, precision, args.restore_seconds, None)]
        if not args.skip_sequential:
            ways.append(find_good(aws, precision, args.restore_seconds, 1))
        ways += record_ways(url, aws, args.restore_seconds, precision)

    low, high = args.aws_restore_minutes
    print(f"{'way':<40} {'rounds':>6} {'probes':>6} {'precision':>11} {'wall':>8} "
          f"{'AWS-projected':>15}")  # fmt: skip
    for way in ways:
        # the stamp is the write's second; a restore to that second may precede the write
        brackets = (way.last_good is None or way.last_good <= first_damage) and (
            way.first_bad is None or first_damage <= way.first_bad
        )
        assert brackets, (way, first_damage)
        projected = f"{way.rounds * low / 60:.1f}-{way.rounds * high / 60:.1f} h"
        print(
            f"{way.name:<40} {way.rounds:>6} {way.probes:>6} {_span(way.precision):>11} "
            f"{way.seconds:>7.1f}s {projected:>15}"
        )
    base = ways[-1]
    print(
        f"ratio find-good default / {base.name}: rounds {ways[0].rounds / base.rounds:.2f}x, "
        f"wall {ways[0].seconds / base.seconds:.2f}x, probes {ways[0].probes / base.probes:.2f}x"
    )


if __name__ == "__main__":
    main()
