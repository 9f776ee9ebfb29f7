"""The report as Markdown (for the post-incident review) and as a JSON-ready dict."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from lee_console.core.report.units import clock_text, minutes_text

if TYPE_CHECKING:
    from lee_console.core.report import Report

_CLOCK_START = {"damage": "the damage start", "detection": "detection"}
_OTHER_CLOCK = {"damage": "detection", "detection": "damage"}


def _time(moment: datetime | None) -> str | None:
    return clock_text(moment) if moment else None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _bullets(lines: tuple[str, ...], empty: str = "None recorded.") -> list[str]:
    return [f"- {line}" for line in lines] if lines else [f"- {empty}"]


def render_markdown(report: Report) -> str:
    title = report.incident or report.table or "unnamed incident"
    status = (
        f"closed at {clock_text(report.closed_at)}" if report.closed_at else "open (not closed)"
    )
    span = ""
    if report.first_event_at and report.last_event_at:
        span = f", {clock_text(report.first_event_at)} to {clock_text(report.last_event_at)}"
    clock = report.rto_clock.value
    lines = [
        f"# Incident report: {title}",
        "",
        f"- Table: {report.table or 'not recorded'}",
        f"- Status: {status}",
        f"- Built from the journal alone: {report.event_count} events{span}",
        f"- RTO target {report.rto_target_minutes} min; the RTO clock starts at "
        f"{_CLOCK_START[clock]} (`--rto-clock {_OTHER_CLOCK[clock]}` starts it at "
        f"{_CLOCK_START[_OTHER_CLOCK[clock]]}) and stops when service is confirmed",
        "",
        "## Verdict",
        "",
        f"**{report.rto.verdict}.** {report.rto.explanation}",
        "",
        report.rto.other_clock,
        "",
        "## Timeline (UTC)",
        "",
        "| Milestone | Time | Since previous | Detail |",
        "|---|---|---|---|",
    ]
    previous: datetime | None = None
    for milestone in report.milestones:
        if milestone.at is None:
            when, since = milestone.missing, ""
        else:
            when = clock_text(milestone.at)
            since = (
                "+" + minutes_text((milestone.at - previous).total_seconds()) if previous else ""
            )
            previous = milestone.at
        lines.append(f"| {milestone.label} | {_cell(when)} | {since} | {_cell(milestone.detail)} |")
    lines += ["", "## Recovery time", ""]
    lines += [f"- {m.label}: {m.text} ({m.span})" for m in report.measures]
    rpo = report.rpo
    lines += ["", "## Data loss (RPO)", "", f"- {rpo.point_text}", f"- {rpo.text}"]
    lines += [f"- {rpo.measured.text}"] if rpo.measured else []
    lines += [f"- {rpo.unknown}"] if rpo.unknown else []
    lines += ["", "## Items affected", "", *_bullets(report.items)]
    lines += ["", "## Settings re-applied", "", *_bullets(report.settings)]
    lines += ["", "## Warnings", "", *_bullets(report.warnings, "None.")]
    lines += ["", "## Notes and decisions", ""]
    lines += _bullets(tuple(f"{clock_text(n.at)} {n.kind}: {n.text}" for n in report.notes))
    lines += ["", "## Commands run", ""]
    if report.commands:
        if report.identities:
            lines += [f"As {', '.join(report.identities)}:", ""]
        lines.append("```")
        lines += [f"# {clock_text(c.at)}\n{c.text}" for c in report.commands]
        lines.append("```")
    else:
        lines.append("- No mutating AWS call in the journal.")
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
    }


def _minutes(seconds: float | None) -> float | None:
    return round(seconds / 60, 2) if seconds is not None else None
