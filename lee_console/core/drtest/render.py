"""A dr-test's report: Markdown (the saved report, the console's screen) and the terminal's
short summary. Both end with the trend of the table's restore durations."""

from __future__ import annotations

from lee_console.core.drtest.result import DrTestResult
from lee_console.core.drtest.trend import Trend, seconds
from lee_console.core.timeparse import format_utc


def _scratch_line(result: DrTestResult) -> str:
    if result.deleted is None:
        return f"{result.scratch_table} kept (--keep): delete it when done"
    if result.deleted:
        return f"{result.scratch_table} deleted"
    return (
        f"{result.scratch_table} NOT deleted; delete it yourself: aws dynamodb delete-table "
        f"--table-name {result.scratch_table}"
    )


def summary(result: DrTestResult, history: Trend) -> str:
    """The terminal's human summary (stdout without --json)."""
    lines = [
        f"DR test of {result.table}: {result.verdict.upper()}",
        f"  restore point   {format_utc(result.restore_point)} ({result.point_how})",
        f"  restore time    {seconds(result.restore_seconds)}",
        f"  items           {result.count_line()}",
        f"  rules           {_rules_line(result)}",
        f"  scratch table   {_scratch_line(result)}",
        f"  trend           {history.summary()}",
    ]
    lines += [f"  FAILED: {failure}" for failure in result.failures]
    return "\n".join(lines)


def _rules_line(result: DrTestResult) -> str:
    if not result.violating_items:
        return f"no violations ({result.rules})"
    return f"{result.violating_items} items break them ({result.rules})"


def markdown(result: DrTestResult, history: Trend) -> str:
    """The report: verdict, facts, rule breaks, count check, trend."""
    verdict = "PASSED" if result.passed else "FAILED"
    lines = [
        f"# DR test of {result.table}: {verdict}",
        "",
        f"Run {result.run_id}, started {format_utc(result.started_at)}"
        + (f" against {result.where}" if result.where else "")
        + ".",
        "",
        "| Check | Result |",
        "|---|---|",
        f"| Restore point | {format_utc(result.restore_point)} ({result.point_how}) |",
        f"| Restore time | {seconds(result.restore_seconds)} (restore call to ACTIVE) |",
        f"| Items restored | {result.items} (full scan of the scratch table) |",
        f"| Reference count | {_reference_cell(result)} |",
        f"| Live table now | {_live_cell(result)} |",
        f"| Integrity rules | {_rules_line(result)} |",
        f"| Scratch table | {_scratch_line(result)} |",
        "",
    ]
    if result.failures:
        lines += ["## Why it failed", ""] + [f"- {f}" for f in result.failures] + [""]
    if result.rule_breaks:
        lines += ["## Rule violations", "", "| Rule | Items | Example |", "|---|---|---|"]
        lines += [f"| {b.rule} | {b.items} | {_cell(b.example)} |" for b in result.rule_breaks]
        lines.append("")
    lines += ["## Count", "", result.count_line() + ".", ""]
    lines += _trend_lines(history)
    return "\n".join(lines)


def _reference_cell(result: DrTestResult) -> str:
    ref = result.reference
    if ref.count is None:
        return f"unknown ({ref.source})"
    return f"{ref.count} ({ref.source})"


def _live_cell(result: DrTestResult) -> str:
    if result.live_item_count is None:
        return "unknown"
    return (
        f"{result.live_item_count} items (DescribeTable ItemCount, refreshed by AWS about every "
        "6 hours; not a count at the restore point)"
    )


def _trend_lines(history: Trend) -> list[str]:
    lines = ["## Restore duration trend", "", f"`{history.summary()}`", ""]
    if history.runs:
        lines += ["| Started | Restore time | Verdict | Items |", "|---|---|---|---|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in history.rows()]
        lines.append("")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
