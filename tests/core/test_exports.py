"""core/exports, the pure part: the lines of AWS's export data files (full and incremental, in
AWS's documented DynamoDB JSON shape), covering a period with exports of 15 min to 24 h, the
cost said before they start, and the repair plan (the last good image the exports show, and
what no export can show)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from lee_console.core.exports.bucket import bucket_problem
from lee_console.core.exports.cost import ExportCost
from lee_console.core.exports.damage import Change, DamageReport, find_damage
from lee_console.core.exports.periods import incremental_periods
from lee_console.core.exports.records import (
    ExportFormatError,
    changed_items,
    full_items,
)
from lee_console.core.exports.repair_plan import plan_export_repair
from lee_console.core.rules import Rule, RuleSet

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
RULES = RuleSet("t", (Rule("v", ("v",), required=True, range=(0, 100)),))


def gz(path: Path, lines: list[dict[str, object]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_full_and_incremental_lines_as_aws_writes_them(tmp_path: Path) -> None:
    full = gz(tmp_path / "a.json.gz", [{"Item": {"id": {"S": "a"}, "v": {"N": "1"}}}])
    assert list(full_items([full])) == [{"id": {"S": "a"}, "v": {"N": "1"}}]
    micros = int((T0 - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1e6) + 250_000
    incremental = gz(tmp_path / "b.json.gz", [
        {"Metadata": {"WriteTimestampMicros": {"N": str(micros)}}, "Keys": {"id": {"S": "a"}},
         "OldImage": {"id": {"S": "a"}, "v": {"N": "1"}},
         "NewImage": {"id": {"S": "a"}, "v": {"N": "2"}}},
        {"Metadata": {"WriteTimestampMicros": {"N": str(micros)}}, "Keys": {"id": {"S": "b"}},
         "NewImage": {"id": {"S": "b"}, "v": {"N": "3"}}},  # created in the period
        {"Metadata": {"WriteTimestampMicros": {"N": str(micros)}}, "Keys": {"id": {"S": "c"}},
         "OldImage": {"id": {"S": "c"}, "v": {"N": "3"}}},  # deleted in it
    ])  # fmt: skip
    changed = list(changed_items([incremental]))
    assert [c.keys["id"]["S"] for c in changed] == ["a", "b", "c"]
    assert changed[0].written_at == T0 + timedelta(microseconds=250_000)
    assert (changed[1].old, changed[2].new) == (None, None)
    bad = gz(tmp_path / "c.json.gz", [{"Keys": {"id": {"S": "a"}}}])
    with pytest.raises(ExportFormatError, match="no WriteTimestampMicros"):
        list(changed_items([bad]))


def test_periods_within_aws_limits() -> None:
    assert incremental_periods(T0, T0 + timedelta(hours=2)) == [(T0, T0 + timedelta(hours=2))]
    days = incremental_periods(T0, T0 + timedelta(days=2, minutes=5))
    assert [b - a for a, b in days] == [timedelta(days=1), timedelta(hours=12, minutes=2.5),
                                        timedelta(hours=12, minutes=2.5)]  # fmt: skip
    assert all(timedelta(minutes=15) <= b - a <= timedelta(hours=24) for a, b in days)
    # under 15 minutes: widened backwards, its end kept
    assert incremental_periods(T0, T0 + timedelta(minutes=5)) == [
        (T0 - timedelta(minutes=10), T0 + timedelta(minutes=5))
    ]
    # ... forwards from the window's start where that is too early, never past now
    assert incremental_periods(T0, T0 + timedelta(minutes=5), T0, T0 + timedelta(hours=1)) == [
        (T0, T0 + timedelta(minutes=15))
    ]
    with pytest.raises(ValueError, match="less than the 15 minutes"):
        incremental_periods(T0, T0 + timedelta(minutes=5), T0, T0 + timedelta(minutes=6))


def test_cost_is_a_range_said_before_the_exports() -> None:
    cost = ExportCost(exports=35, table_bytes=2 * 2**30)
    assert round(cost.least, 4) == round(35 * 10 / 1024 * 0.10, 4)  # 10 MB each at least
    assert round(cost.most, 2) == 7.00  # every day changed the whole 2 GB table
    assert cost.text().startswith("$0.0342 to $7.0000 at $0.10 per GB of change data")


def test_bucket_names() -> None:
    assert bucket_problem("lee-pitr-exports") is None
    assert bucket_problem("Lee") is not None and bucket_problem("a..b") is not None


def change(key: str, old: int | None, new: int | None, at: datetime) -> Change:
    image = lambda v: None if v is None else {"id": key, "v": Decimal(v)}  # noqa: E731
    return Change({"id": key}, image(old), image(new), at)


def test_damage_classes_and_the_first_damaging_write() -> None:
    report = DamageReport("t", T0, T0 + timedelta(hours=1))
    find_damage(report, [
        change("ok", 1, 2, T0 + timedelta(minutes=9)),
        change("bad", 1, 500, T0 + timedelta(minutes=7, seconds=3)),
        change("bad2", 1, 900, T0 + timedelta(minutes=8)),
        change("gone", 1, None, T0 + timedelta(minutes=1)),
        change("new", None, 4, T0 + timedelta(minutes=2)),
        change("was", 700, 800, T0 + timedelta(minutes=3)),
    ], RULES, T0)  # fmt: skip
    assert dict(report.counts) == {
        "legitimate": 1, "damaged": 2, "deleted": 1, "created": 1, "broken_before": 1,
    }  # fmt: skip
    assert report.first_damage == T0 + timedelta(minutes=7, seconds=3)
    assert report.first_damage_key == {"id": "bad"}


def test_repair_writes_back_the_last_good_image_the_exports_show() -> None:
    """A legitimate change in the first period and damage in the second: the image written back
    is the one after the legitimate change (the second period's image before), not the image at
    the damage start; the live item must still be the last export's image."""
    starts = [T0, T0 + timedelta(hours=1)]
    plan = plan_export_repair([
        [change("a", 1, 2, T0 + timedelta(minutes=30)),      # legitimate, then...
         change("b", 1, 300, T0 + timedelta(seconds=0.2)),   # damaged at the damage start
         change("c", 1, 5, T0 + timedelta(minutes=2))],      # legitimate and stays so
        [change("a", 2, 400, T0 + timedelta(hours=1, minutes=20))],  # ... damaged later
    ], RULES, T0, starts)  # fmt: skip
    repairs = {r.key["id"]: r for r in plan.repairs}
    assert repairs["a"].good["v"] == 2 and repairs["a"].seen["v"] == 400
    assert repairs["a"].good_at == starts[1]
    assert repairs["b"].good["v"] == 1 and plan.legitimate == 1
    # what no export can show: a write to 'a' between 11:00 and its damaging write at 11:20
    assert [r.blind_json() for r in plan.unseen_risk] == [
        {"key": {"id": "a"}, "image_at": "2026-12-01T11:00:00Z",
         "damaging_write_by": "2026-12-01T11:20:00Z"}
    ]  # fmt: skip
