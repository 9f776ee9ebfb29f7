"""The report as Markdown (for the post-incident review) and as a JSON-ready dict."""

from __future__ import annotations

import textwrap
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lee_console.core.report.units import clock_text, minutes_text

if TYPE_CHECKING:
    from lee_console.core.report.build import Report

_CLOCK_START = {"damage": "the damage start", "detection": "detection"}
_OTHER_CLOCK = {"damage": "detection", "detection": "damage"}


WIDTH = 80  # the Markdown fits a terminal: paragraphs wrapped, tables narrow


def _time(moment: datetime | None) -> str | None:
    return clock_text(moment) if moment else None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _wrap(text: str, indent: str = "") -> list[str]:
    """``text`` (a paragraph or a ``- `` bullet) wrapped at WIDTH columns; a continuation line
    is indented under the bullet's text. Words are never cut (an ARN stays whole)."""
    hanging = indent + ("  " if text.startswith("- ") else "")
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]


def _bullets(lines: tuple[str, ...], empty: str = "None recorded.") -> list[str]:
    texts = [f"- {line}" for line in lines] if lines else [f"- {empty}"]
    return [out for text in texts for out in _wrap(text)]


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A Markdown table padded to its columns, readable as plain text too."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return [line(header), rule, *(line(row) for row in rows)]


def timeline_rows(report: Report) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The timeline as (milestone, time or why not known, +interval since the previous one)
    rows, and what each milestone says beyond its time ("Restore started: a -> b, ...")."""
    rows: list[tuple[str, str, str]] = []
    details: list[str] = []
    previous: datetime | None = None
    for milestone in report.milestones:
        if milestone.at is None:
            when, since = milestone.missing.split(": ", 1)[0], ""
            if when != milestone.missing:
                details.append(f"{milestone.label}: {milestone.missing}")
        else:
            when = clock_text(milestone.at)
            since = (
                "+" + minutes_text((milestone.at - previous).total_seconds()) if previous else ""
            )
            previous = milestone.at
        if milestone.detail:
            details.append(f"{milestone.label}: {milestone.detail}")
        rows.append((milestone.label, when, since))
    return rows, details


def _timeline(report: Report) -> list[str]:
    """Milestone, time and interval in a table narrow enough for 80 columns; what each one
    says beyond its time follows as bullets."""
    rows, details = timeline_rows(report)
    cells: list[tuple[str, ...]] = [(label, _cell(when), since) for label, when, since in rows]
    lines = _table(("Milestone", "Time", "Since previous"), cells)
    return [*lines, "", *_bullets(tuple(details))] if details else lines


def _commands(report: Report) -> list[str]:
    if not report.command_groups:
        return ["- No mutating AWS call in the journal."]
    lines: list[str] = []
    if report.identities:
        lines += [*_wrap(f"As {', '.join(report.identities)}."), ""]
    lines += _wrap(
        "By operation and what it acted on, with the first call's time; the JSON form "
        "(`--format json`) lists every call with its `aws` command line."
    )
    lines.append("")
    for group in report.command_groups:
        lines += _wrap(f"- {clock_text(group.first)} {group.service} {group.text()}")
    return lines


def render_markdown(report: Report) -> str:
    title = report.incident or report.table or "unnamed incident"
    status = (
        f"closed at {clock_text(report.closed_at)}" if report.closed_at else "open (not closed)"
    )
    span = ""
    if report.first_event_at and report.last_event_at:
        span = f", {clock_text(report.first_event_at)} to {clock_text(report.last_event_at)}"
    clock = report.rto_clock.value
    lines = [f"# Incident report: {title}", ""]
    lines += _bullets(
        (
            f"Table: {report.table or 'not recorded'}",
            f"Status: {status}",
            f"Built from the journal alone: {report.event_count} events{span}",
            f"RTO target {report.rto_target_minutes} min; the RTO clock starts at "
            f"{_CLOCK_START[clock]} (`--rto-clock {_OTHER_CLOCK[clock]}` starts it at "
            f"{_CLOCK_START[_OTHER_CLOCK[clock]]}) and stops when service is confirmed",
        )
    )
    lines += ["", "## Verdict", ""]
    lines += _wrap(f"**{report.rto.verdict}.** {report.rto.explanation}")
    lines += ["", *_wrap(report.rto.other_clock), "", "## Timeline (UTC)", ""]
    lines += _timeline(report)
    lines += ["", "## Recovery time", ""]
    lines += _bullets(tuple(f"{m.label}: {m.text} ({m.span})" for m in report.measures))
    rpo = report.rpo
    rpo_lines: tuple[str, ...] = (rpo.point_text, rpo.text)
    rpo_lines += (rpo.measured.text,) if rpo.measured else ()
    rpo_lines += (rpo.unknown,) if rpo.unknown else ()
    lines += ["", "## Data loss (RPO)", "", *_bullets(rpo_lines)]
    lines += ["", "## Items affected", "", *_bullets(report.items)]
    lines += ["", "## Settings re-applied", "", *_bullets(report.settings)]
    lines += ["", "## Warnings", "", *_bullets(report.warnings, "None.")]
    lines += ["", "## Notes and decisions", ""]
    lines += _bullets(tuple(f"{clock_text(n.at)} {n.kind}: {n.text}" for n in report.notes))
    lines += ["", "## Commands run", "", *_commands(report)]
    return "\n".join(lines) + "\n"


def report_dict(report: Report) -> dict[str, Any]:
    rto, rpo = report.rto, report.rpo
    return {
        "incident": report.incident,
        "table": report.table,
        "status": "closed" if report.closed_at else "open",
        "closed_at": _time(report.closed_at),
        "events": report.event_count,
        "first_event_at": _time(report.first_event_at),
        "last_event_at": _time(report.last_event_at),
        "rto": {
            "target_minutes": rto.target_minutes,
            "clock": rto.clock.value,
            "start": _time(rto.start),
            "end": _time(rto.end),
            "elapsed_minutes": _minutes(rto.elapsed_seconds),
            "met": rto.met,
            "verdict": rto.verdict,
            "explanation": rto.explanation,
            "other_clock": rto.other_clock,
        },
        "timeline": [
            {
                "key": m.key,
                "label": m.label,
                "at": _time(m.at),
                "detail": m.detail or None,
                "missing": None if m.at else m.missing,
            }
            for m in report.milestones
        ],
        "measures": {
            m.key: {
                "label": m.label,
                "minutes": _minutes(m.seconds),
                "text": m.text,
                "span": m.span,
            }
            for m in report.measures
        },
        "rpo": {
            "restore_point": _time(rpo.restore_point),
            "damage_start": _time(rpo.damage_start),
            "strategy": rpo.strategy,
            "outcome": rpo.outcome,
            "legit_writes": rpo.legit_writes,
            "point_text": rpo.point_text,
            "text": rpo.text,
            "measured": rpo.measured.to_json() if rpo.measured else None,
            "measured_text": rpo.measured.text if rpo.measured else None,
            "unknown": rpo.unknown or None,
        },
        "items": list(report.items),
        "settings": list(report.settings),
        "warnings": list(report.warnings),
        "notes": [{"at": _time(n.at), "kind": n.kind, "text": n.text} for n in report.notes],
        "commands": [
            {"at": _time(c.at), "cli": c.text, "identity": c.identity} for c in report.commands
        ],
        "command_summary": [
            {
                "service": g.service,
                "operation": g.operation,
                "resource": g.resource,
                "calls": g.calls,
                "conditional": g.conditional,
                "skipped": g.skipped,
                "failed": dict(g.failed),
                "unanswered": g.unanswered,
                "first": _time(g.first),
                "last": _time(g.last),
                "text": g.text(),
            }
            for g in report.command_groups
        ],
    }


def _minutes(seconds: float | None) -> float | None:
    return round(seconds / 60, 2) if seconds is not None else None
