"""Verification results as text: the `verify` command prints it, the TUI shows it."""

from __future__ import annotations

import json

from lee_console.core.diff import Change, DiffReport, Key, jsonable
from lee_console.core.text import text_table
from lee_console.core.verify import TableCheck, VerifyReport


def rules_summary(report: VerifyReport) -> str:
    check = report.checked
    if not check.rule_set:
        return f"{check.rules_source}: counts, schema and diff only"
    return f"rules {check.rule_set} from {check.rules_source}"


def verdict(report: VerifyReport) -> str:
    table = report.checked.table
    if report.passed:
        tail = f" and its schema matches {report.against.table}" if report.against else ""
        if not report.checked.rule_set:  # nothing vouched for the items: say so, not PASSED
            return (
                f"PASSED WITHOUT RULES: no rule set applies to {table} "
                f"({report.checked.rules_source}), so no item was checked{tail}; pass --rules "
                "FILE, or --against the table it was restored from."
            )
        return f"PASSED: {table} has no rule violations{tail}."
    reasons = []
    if not report.checked.passed:
        reasons.append(f"{report.checked.violating_items} items break the rules")
    if report.schema_differences:
        reasons.append(f"{len(report.schema_differences)} schema differences")
    return f"FAILED: {table}: {', '.join(reasons)}."


def render_report(report: VerifyReport, rules_summary: str) -> str:
    checks = [report.checked] + ([report.against] if report.against else [])
    lines = [
        f"verify {report.checked.table}"
        + (f" against {report.against.table}" if report.against else ""),
        f"  {rules_summary}",
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
