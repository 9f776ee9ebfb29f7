"""Verification over AWS: stream a table's items through the integrity rules and, with a live
table to compare with, through the diff; compare the schemas; journal the result.

Each table is scanned once (parallel segments), which gives its exact item count, its rule
violations and its item hashes together. Only hashes are kept, never items.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lee_console.aws.raw_scan import scan_wire_pages
from lee_console.aws.scan import DEFAULT_SEGMENTS, get_item
from lee_console.aws.scan_workers import check_table_in_workers
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_table_raw
from lee_console.core.diff import (
    DEFAULT_SAMPLE,
    AttributeChange,
    DiffReport,
    item_changes,
)
from lee_console.core.errors import InvalidInput, TableInUse
from lee_console.core.journal import Kind
from lee_console.core.rules import NOT_FUTURE_ALLOWANCE, RuleSet
from lee_console.core.scan_diff.items import Feed, check_pages
from lee_console.core.scan_diff.join import DEFAULT_THRESHOLD, DiffJoin
from lee_console.core.verify import (
    TableCheck,
    TableShape,
    VerifyReport,
    ViolationTally,
    check_key_types,
    schema_differences,
    table_shape,
)
from lee_console.core.wire_rules import WireChecker
from lee_console.store.paths import state_dir
from lee_console.store.rules_file import load_rules_for
from lee_console.store.spill import SpillFiles

SPILL_ABOVE = DEFAULT_THRESHOLD  # restored items held in memory; past it the diff spills to disk


def describe_shape(aws: Aws, table: str) -> TableShape:
    """The table's key schema and indexes; the table must be ACTIVE to be read."""
    description = describe_table_raw(aws, table)
    status = description.get("TableStatus", "ACTIVE")
    if status != "ACTIVE":
        raise TableInUse(
            f"Table {table} is {status}; verify it once it is ACTIVE (a restore may still be "
            "running: `lee-console status` shows it)."
        )
    return table_shape(description)


def check_table(
    aws: Aws,
    table: str,
    rules: RuleSet,
    key_names: tuple[str, ...],
    *,
    now: datetime,
    feed: Feed | None = None,
    segments: int = DEFAULT_SEGMENTS,
    sample: int = DEFAULT_SAMPLE,
    workers: int = 0,
) -> TableCheck:
    """One streaming pass over ``table``: count, rule violations, and (``feed``) each item's
    key text, digest and verdict for a diff. Pages come as wire JSON (aws/raw_scan.py) and are
    judged and hashed without being turned into plain values, here or (``workers`` > 0) in
    that many worker processes sharing the segments (aws/scan_workers.py)."""
    tally = ViolationTally(table, key_names, rules, sample)
    if workers > 0:
        segments = max(segments, workers)
        return check_table_in_workers(aws, table, tally, now, workers, segments, feed)
    pages = scan_wire_pages(aws, table, segments)
    return check_pages(pages, tally, WireChecker(rules, now), feed)


def verify_table(
    aws: Aws,
    table: str,
    against: str | None = None,
    rules: RuleSet | None = None,
    *,
    segments: int = DEFAULT_SEGMENTS,
    sample: int = DEFAULT_SAMPLE,
    now: datetime | None = None,
    record: bool = True,
    workers: int = 0,
) -> VerifyReport:
    """Verify ``table`` (usually a restored one) with ``rules`` (default: the shipped rule set
    for its name), and with ``against`` (the live table) compare schemas and diff the items;
    the same rule set judges both. ``record``: append a Kind.VERIFIED event to aws.journal.
    ``workers``: scan in that many worker processes (0: in this one)."""
    moment = now or datetime.now(UTC)
    judged_at = moment + NOT_FUTURE_ALLOWANCE  # writes made during the scan are not "future"
    rule_set = rules if rules is not None else load_rules_for(table, also=against)
    shape = describe_shape(aws, table)
    live_shape = None if against is None else describe_shape(aws, against)
    differences = None if live_shape is None else tuple(schema_differences(shape, live_shape))
    live_check: TableCheck | None
    diff: DiffReport | None
    if against is not None and live_shape is not None and shape.key_names == live_shape.key_names:
        checked, live_check, diff = _check_and_diff(
            aws, table, against, rule_set, shape.key_names, judged_at, segments, sample, workers
        )
    else:  # nothing to compare with, or items that cannot be matched by key: check each, no diff

        def check(name: str, key_names: tuple[str, ...]) -> TableCheck:
            return check_table(
                aws,
                name,
                rule_set,
                key_names,
                now=judged_at,
                segments=segments,
                sample=sample,
                workers=workers,
            )

        checked = check(table, shape.key_names)
        live_check = None
        if against is not None and live_shape is not None:
            live_check = check(against, live_shape.key_names)
        diff = None
    report = VerifyReport(checked, live_check, differences, diff, moment)
    if record and aws.journal is not None:
        aws.journal.append(Kind.VERIFIED, **report.journal_data())
    return report


def diff_tables(
    aws: Aws,
    restored: str,
    live: str,
    rules: RuleSet | None = None,
    *,
    segments: int = DEFAULT_SEGMENTS,
    sample: int = DEFAULT_SAMPLE,
    now: datetime | None = None,
) -> DiffReport:
    """The diff of ``restored`` vs ``live``, with both rule verdicts for every differing key
    (``DiffReport.entries``; ``KeyDiff.damaged``). Rules default to the shipped rule set for
    ``restored``'s name. Raises InvalidInput when the key schemas differ."""
    rule_set = rules if rules is not None else load_rules_for(restored, also=live)
    key_names = comparable_keys(aws, restored, live)
    judged_at = (now or datetime.now(UTC)) + NOT_FUTURE_ALLOWANCE  # as verify_table's
    return _check_and_diff(aws, restored, live, rule_set, key_names, judged_at, segments, sample)[2]


def comparable_keys(aws: Aws, restored: str, live: str) -> tuple[str, ...]:
    """The key both tables share; InvalidInput when their key schemas differ (a table that does
    not exist or is not ACTIVE is said as describe_shape says it)."""
    shape, live_shape = describe_shape(aws, restored), describe_shape(aws, live)
    if shape.key_names != live_shape.key_names:
        raise InvalidInput(
            f"{restored} and {live} have different keys ({', '.join(shape.key_names)} vs "
            f"{', '.join(live_shape.key_names)}); their items cannot be compared."
        )
    return shape.key_names


def _check_and_diff(
    aws: Aws,
    restored: str,
    live: str,
    rules: RuleSet,
    key_names: tuple[str, ...],
    now: datetime,
    segments: int,
    sample: int,
    workers: int = 0,
) -> tuple[TableCheck, TableCheck, DiffReport]:
    join = DiffJoin(restored, live, key_names, sample, spill=_spill_files, threshold=SPILL_ABOVE)
    try:
        checked = check_table(
            aws,
            restored,
            rules,
            key_names,
            now=now,
            feed=join.add_restored,
            segments=segments,
            sample=sample,
            workers=workers,
        )
        live_check = check_table(
            aws,
            live,
            rules,
            key_names,
            now=now,
            feed=join.add_live,
            segments=segments,
            sample=sample,
            workers=workers,
        )
        return checked, live_check, join.finish()
    finally:
        join.close()


def _spill_files() -> SpillFiles:
    return SpillFiles(state_dir() / "spill")


@dataclass(frozen=True)
class ItemComparison:
    """One item in both tables, attribute by attribute (restored = old, live = new)."""

    key: dict[str, Any]
    restored: dict[str, Any] | None
    live: dict[str, Any] | None
    changes: tuple[AttributeChange, ...]
    restored_violations: tuple[str, ...]
    live_violations: tuple[str, ...]


def compare_item(
    aws: Aws, restored: str, live: str, key: Mapping[str, Any], rules: RuleSet | None = None
) -> ItemComparison:
    """GetItem ``key`` from both tables and list what changed, with each side's violations."""
    shape = describe_shape(aws, restored)
    names = set(shape.key_names)
    if set(key) != names:
        raise InvalidInput(
            f"The item key must name exactly {', '.join(shape.key_names)}, "
            f'e.g. \'{{"{shape.key_names[0]}": "..."}}\'; got {", ".join(key) or "nothing"}.'
        )
    check_key_types(shape, key)
    rule_set = rules if rules is not None else load_rules_for(restored, also=live)
    old, new = get_item(aws, restored, key), get_item(aws, live, key)
    now = datetime.now(UTC)
    return ItemComparison(
        key=dict(key),
        restored=old,
        live=new,
        changes=tuple(item_changes(old, new)),
        restored_violations=tuple(v.message for v in rule_set.check(old, now)) if old else (),
        live_violations=tuple(v.message for v in rule_set.check(new, now)) if new else (),
    )
