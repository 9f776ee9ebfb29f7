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
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from lee_console.aws.scan_workers import MAX_WORKERS
from lee_console.aws.verify import ItemComparison, compare_item, verify_table
from lee_console.commands.context import CommandContext
from lee_console.core.diff import jsonable
from lee_console.core.errors import InvalidInput
from lee_console.core.names import validate_table_name
from lee_console.core.rules import RuleSet
from lee_console.core.verify import VerifyReport
from lee_console.core.verify_text import render_report, verdict
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
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="scan in N worker processes (default 0: in this one); pays with cores to spare, "
        "each costs about 70 MB",
    )
    parser.add_argument(
        "--sample", type=int, default=5, metavar="N", help="sample keys shown per count (default 5)"
    )
    parser.add_argument(
        "--via",
        choices=["scan", "export"],
        default="scan",
        help="scan both tables (default), or compare full PITR exports of both in DuckDB "
        "without reading their capacity (needs --against); also writes verify-athena.sql",
    )
    parser.add_argument(
        "--bucket",
        "--export-bucket",
        dest="export_bucket",
        metavar="B",
        help="S3 bucket for --via export (default: export_bucket in the config file; the "
        "sandbox's lee-pitr-exports under --sandbox)",
    )
    parser.add_argument(
        "--memory-limit",
        default="128MB",
        metavar="SIZE",
        help="DuckDB's memory for --via export (default 128MB; spills to disk beyond it): "
        "larger when an export file's items do not fit",
    )
    parser.epilog = "Exit codes: 0 verification passed, 1 it failed, 2 error."


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    table = validate_table_name(args.table)
    against = validate_table_name(args.against) if args.against is not None else None
    if against == table and args.item is None:  # a verdict, journaled: --item only shows
        raise InvalidInput(
            f"--against names {table} itself: a table always matches itself; give the live "
            "table the restored one is compared with."
        )
    if not 1 <= args.segments <= _MAX_SEGMENTS:
        raise InvalidInput(f"--segments takes 1 to {_MAX_SEGMENTS}, got {args.segments}.")
    if not 0 <= args.workers <= MAX_WORKERS:
        raise InvalidInput(f"--workers takes 0 to {MAX_WORKERS}, got {args.workers}.")
    if args.sample < 0:
        raise InvalidInput(f"--sample takes 0 or more, got {args.sample}.")
    rules = load_rules_for(table, args.rules, also=against)
    if args.item is not None:
        if against is None:
            raise InvalidInput("--item shows an item old -> new: add --against LIVE_TABLE.")
        comparison = compare_item(ctx.aws, table, against, parse_key(args.item), rules)
        if args.json:
            print(json.dumps(item_json(comparison, table, against), indent=2), file=ctx.out)
        else:
            print(render_item(comparison, table, against), file=ctx.out)
        return EXIT_PASSED
    if args.via == "export" and against is None:
        raise InvalidInput("--via export compares two tables' exports: add --against LIVE_TABLE.")
    if not _MEMORY.fullmatch(args.memory_limit):
        raise InvalidInput(
            f"--memory-limit takes a size such as 128MB or 2GB, got {args.memory_limit!r}."
        )
    ctx.say(f"Verifying {table}{f' against {against}' if against else ''} ({rules_line(rules)})")
    if args.via == "export":
        report = _via_export(args, ctx, table, against, rules)
    else:
        report = verify_table(
            ctx.aws,
            table,
            against,
            rules,
            segments=args.segments,
            sample=args.sample,
            workers=args.workers,
        )
    if args.json:
        print(json.dumps(report.to_json(), indent=2), file=ctx.out)
    else:
        print(render_report(report, rules_line(rules)), file=ctx.out)
    ctx.say(verdict(report))
    return EXIT_PASSED if report.passed else EXIT_FAILED


def _via_export(
    args: argparse.Namespace, ctx: CommandContext, table: str, against: str | None, rules: RuleSet
) -> VerifyReport:
    from lee_console.aws.export_verify_run import verify_via_export
    from lee_console.commands.export_bucket import export_bucket
    from lee_console.core.export_verify.athena import athena_commands
    from lee_console.core.journal import Kind
    from lee_console.store.paths import state_dir

    assert against is not None
    bucket = export_bucket(args.export_bucket, ctx, f"verify --via export exports {table}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    athena_file = state_dir() / "exports" / f"verify-athena-{table}-{stamp}.sql"
    result = verify_via_export(
        ctx.aws,
        table,
        against,
        rules,
        bucket=bucket,
        prefix=f"lee-console/verify-{stamp}",
        work_dir=state_dir() / "exports" / f"work-{stamp}",
        athena_file=athena_file,
        sample=args.sample,
        memory_limit=args.memory_limit,
    )
    for source in result.sources:
        ctx.say(f"  {source.stands_for}: exported {source.table} at {source.at} ({source.reason})")
    ctx.say(f"The same comparison for Athena: {result.athena_file}")
    output = f"s3://{bucket}/lee-console/athena-results/"
    for line in athena_commands(str(result.athena_file), output):
        ctx.say(f"  {line}")
    if ctx.aws.journal is not None:
        ctx.aws.journal.append(Kind.VERIFIED, **result.report.journal_data(), via="export")
    return result.report


_MEMORY = re.compile(r"[1-9][0-9]{0,5}(?:[KMGT]i?B)", re.ASCII | re.IGNORECASE)


class _NotANumber(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotANumber(name)


MAX_KEY_JSON = 4096  # a key is two attributes of at most 2 KB and 1 KB (aws-facts.md)


def parse_key(raw: str) -> dict[str, Any]:
    example = '\'{"device_id": "dev-00042"}\''
    if len(raw) > MAX_KEY_JSON:
        raise InvalidInput(f"--item is {len(raw):,} characters: give only the key, e.g. {example}.")
    try:
        key = json.loads(raw, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"--item is not JSON ({error.msg}); give the key, e.g. {example}."
        ) from None
    except _NotANumber:
        raise InvalidInput(
            f"--item holds NaN or Infinity, which no key can; give e.g. {example}."
        ) from None
    except RecursionError:
        raise InvalidInput(f"--item is nested too deep to be a key; give e.g. {example}.") from None
    if not isinstance(key, dict) or not key:
        raise InvalidInput(f"--item needs a JSON object of the item's key, e.g. {example}.")
    return key


def rules_line(rules: RuleSet) -> str:
    if rules.empty:
        return f"{rules.source}: counts, schema and diff only"
    return f"rules {rules.table} from {rules.source}, {len(rules.rules)} rules"


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
