"""`lee-console verify TABLE [--against LIVE] [--rules FILE] [--json] [--item KEY_JSON]`.

Counts TABLE's items, checks them against the integrity rules (the rules file, else the shipped
rule set for TABLE's name or base name), and with --against compares the key schema and indexes
and diffs the items (restored -> live). Exit 0 passed (no violations in TABLE, schemas equal),
1 failed, 2 error. With --item, only that item is read from both tables and shown attribute by
attribute (exit 0).
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from lee_console.aws.verify import ItemComparison, compare_item, verify_table
from lee_console.commands.context import CommandContext
from lee_console.commands.formatting import text_table
from lee_console.core.diff import Change, DiffReport, Key, jsonable
from lee_console.core.errors import InvalidInput
from lee_console.core.names import validate_table_name
from lee_console.core.rules import RuleSet
from lee_console.core.verify import TableCheck, VerifyReport
from lee_console.store.rules_file import load_rules_for

EXIT_PASSED = 0
EXIT_FAILED = 1
_MAX_SEGMENTS = 64


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "table", metavar="TABLE", help="the table to verify (e.g. the restored one)"
    )
    parser.add_argument(
        "--against", metavar="TABLE", help="the live table: compare schemas and diff the items"
    )
    parser.add_argument(
        "--rules", metavar="FILE", type=Path, help="a TOML rules file (default: shipped rules)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument(
        "--item",
        metavar="KEY_JSON",
        help='show one item old -> new, e.g. --item \'{"device_id": "dev-00042"}\' '
        "(needs --against; reads only that item)",
    )
    parser.add_argument(
        "--segments", type=int, default=4, metavar="N", help="parallel scan segments (default 4)"
    )
    parser.add_argument(
        "--sample", type=int, default=5, metavar="N", help="sample keys shown per count (default 5)"
    )
    parser.epilog = "Exit codes: 0 verification passed, 1 it failed, 2 error."


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    table = validate_table_name(args.table)
    against = validate_table_name(args.against) if args.against else None
    if not 1 <= args.segments <= _MAX_SEGMENTS:
        raise InvalidInput(f"--segments takes 1 to {_MAX_SEGMENTS}, got {args.segments}.")
    if args.sample < 0:
        raise InvalidInput(f"--sample takes 0 or more, got {args.sample}.")
    rules = load_rules_for(table, args.rules)
    if args.item is not None:
        if against is None:
            raise InvalidInput("--item shows an item old -> new: add --against LIVE_TABLE.")
        comparison = compare_item(ctx.aws, table, against, parse_key(args.item), rules)
        if args.json:
            print(json.dumps(item_json(comparison, table, against), indent=2), file=ctx.out)
        else:
            print(render_item(comparison, table, against), file=ctx.out)
        return EXIT_PASSED
    ctx.say(f"Verifying {table}{f' against {against}' if against else ''} ({rules_line(rules)})")
    report = verify_table(
        ctx.aws, table, against, rules, segments=args.segments, sample=args.sample
    )
    if args.json:
        print(json.dumps(report.to_json(), indent=2), file=ctx.out)
    else:
        print(render(report, rules), file=ctx.out)
    ctx.say(verdict(report))
    return EXIT_PASSED if report.passed else EXIT_FAILED


def parse_key(raw: str) -> dict[str, Any]:
    example = '\'{"device_id": "dev-00042"}\''
    try:
        key = json.loads(raw, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"--item is not JSON ({error.msg}); give the key, e.g. {example}."
        ) from None
    if not isinstance(key, dict) or not key:
        raise InvalidInput(f"--item needs a JSON object of the item's key, e.g. {example}.")
    return key


def rules_line(rules: RuleSet) -> str:
    if rules.empty:
        return f"{rules.source}: counts, schema and diff only"
    return f"rules {rules.table} from {rules.source}, {len(rules.rules)} rules"


def verdict(report: VerifyReport) -> str:
    table = report.checked.table
    if report.passed:
        tail = f" and its schema matches {report.against.table}" if report.against else ""
        return f"PASSED: {table} has no rule violations{tail}."
    reasons = []
    if not report.checked.passed:
        reasons.append(f"{report.checked.violating_items} items break the rules")
    if report.schema_differences:
        reasons.append(f"{len(report.schema_differences)} schema differences")
    return f"FAILED: {table}: {', '.join(reasons)}."


def render(report: VerifyReport, rules: RuleSet) -> str:
    checks = [report.checked] + ([report.against] if report.against else [])
    lines = [
        f"verify {report.checked.table}"
        + (f" against {report.against.table}" if report.against else ""),
        f"  {rules_line(rules)}",
        "",
        "Items (exact, scanned)",
        text_table(
            ["TABLE", "ITEMS", "VIOLATING"],
            [[c.table, str(c.items), str(c.violating_items)] for c in checks],
        ),
    ]
    if report.schema_differences is not None:
        lines += ["", "Schema (key, GSIs, LSIs)"]
        if report.schema_differences:
            lines += [f"  DIFFERS: {d}" for d in report.schema_differences]
        else:
            lines.append("  equal")
    for check in checks:
        lines += ["", *render_violations(check)]
    if report.diff is not None:
        lines += ["", *render_diff(report.diff)]
    elif report.against is not None:
        lines += ["", "Diff: not possible, the key schemas differ"]
    return "\n".join(lines)


def render_violations(check: TableCheck) -> list[str]:
    if not check.rule_set:
        return [f"Rules on {check.table}: none ({check.rules_source})"]
    if check.passed:
        return [f"Rules on {check.table}: no violations in {check.items} items"]
    rows = [
        [count.rule, str(count.count), show_keys(count.sample_keys), count.example]
        for count in check.rules
    ]
    return [
        f"Rules on {check.table}: {check.violating_items} of {check.items} items break them",
        text_table(["RULE", "ITEMS", "SAMPLE KEYS", "EXAMPLE"], rows),
    ]


def render_diff(diff: DiffReport) -> list[str]:
    counts = diff.counts()
    lines = [
        f"Diff {diff.restored} -> {diff.live}: {counts['added']} added, {counts['removed']} "
        f"removed, {counts['changed']} changed, {counts['unchanged']} unchanged"
    ]
    for change in Change:
        samples = diff.samples(change)
        if samples:
            lines.append(f"  {change.value}: {show_keys(tuple(samples))}")
    damaged = len(diff.damaged())
    if damaged:
        lines.append(
            f"  {damaged} keys pass the rules in {diff.restored} but not in {diff.live} "
            "(or are gone there): candidates for repair in place"
        )
    if not diff.identical:
        first = (
            diff.samples(Change.CHANGED)
            or diff.samples(Change.REMOVED)
            or diff.samples(Change.ADDED)
        )
        if first:
            key = json.dumps(jsonable(dict(zip(diff.key_names, first[0], strict=True))))
            lines.append(f"  one item, attribute by attribute: --item '{key}'")
    return lines


def show_keys(keys: tuple[Key, ...]) -> str:
    shown = ["/".join(str(jsonable(part)) for part in key) for key in keys]
    return ", ".join(shown) if shown else "-"


def render_item(comparison: ItemComparison, table: str, against: str) -> str:
    key = json.dumps(jsonable(comparison.key))
    lines = [f"item {key}: {table} (old) -> {against} (new)"]
    if comparison.restored is None and comparison.live is None:
        lines.append("  in neither table")
        return "\n".join(lines)
    if comparison.restored is None:
        lines.append(f"  not in {table} (added in {against})")
    elif comparison.live is None:
        lines.append(f"  not in {against} (removed from it)")
    if not comparison.changes:
        lines.append("  identical")
    lines += [f"  {change.render()}" for change in comparison.changes]
    for name, violations in (
        (table, comparison.restored_violations),
        (against, comparison.live_violations),
    ):
        if violations:
            lines.append(f"  rules broken in {name}: {'; '.join(violations)}")
    return "\n".join(lines)


def item_json(comparison: ItemComparison, table: str, against: str) -> dict[str, Any]:
    return {
        "key": jsonable(comparison.key),
        "table": table,
        "against": against,
        "in_table": comparison.restored is not None,
        "in_against": comparison.live is not None,
        "changes": [change.to_json() for change in comparison.changes],
        "table_violations": list(comparison.restored_violations),
        "against_violations": list(comparison.live_violations),
    }
