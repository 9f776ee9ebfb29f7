"""The score card as text (terminal, 80 columns), Markdown (the saved result) and JSON; and, for
a facilitator, the ground truth beside the participant's timeline."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lee_console.core.drill.score import ScoreCard
from lee_console.core.drill.truth import DrillTruth
from lee_console.core.report.facts import IncidentFacts
from lee_console.core.report.units import clock_text, minutes_text
from lee_console.core.timeparse import format_utc


@dataclass(frozen=True)
class Moment:
    at: datetime
    truth: str  # what really happened then ("" when nothing)
    participant: str  # what the participant did then


def card_json(card: ScoreCard, truth: DrillTruth | None = None) -> dict[str, Any]:
    info = card.info
    data: dict[str, Any] = {
        "incident": info.incident,
        "participant": info.participant,
        "scenario": info.scenario,
        "seed": info.seed,
        "started_at": format_utc(info.started_at),
        "finished_at": format_utc(card.finished_at),
        "rto_minutes": info.rto_minutes,
        "total": card.total,
        "max_total": card.max_total,
        "recovered_seconds": card.recovered_seconds,
        "hints_used": card.hints_used,
        "application_table": card.app_table,
        "lines": [
            {"key": line.key, "label": line.label, "points": line.points,
             "max_points": line.max_points, "reasons": list(line.reasons)}
            for line in card.lines
        ],
        "items": None if card.items is None else {
            "correct": card.items.correct, "damaged_left": card.items.damaged_left,
            "legit_writes_lost": card.items.lost_writes, "missing": card.items.missing,
            "extra": card.items.extra, "lost_samples": list(card.items.lost_samples),
        },
    }  # fmt: skip
    if truth is not None:
        data["ground_truth"] = {
            "damage_start": format_utc(truth.ground.damage_start),
            "damaged_items": len(truth.ground.damaged),
            "shape": truth.shape,
            "share": truth.share,
        }
    return data


def card_text(card: ScoreCard, width: int = 78) -> str:
    info = card.info
    out = [
        f"Drill {info.incident} - {info.participant} - {info.scenario}",
        f"Score {card.total} / {card.max_total}",
        "",
    ]
    for line in card.lines:
        head = f"{line.label:<34} {line.points:>4} / {line.max_points}"
        out.append(head)
        for reason in line.reasons:
            out.extend(textwrap.wrap(reason, width, initial_indent="  ", subsequent_indent="  "))
    if card.recovered_seconds is not None:
        out += ["", f"Recovered in {minutes_text(card.recovered_seconds)} from the page."]
    return "\n".join(out)


def card_markdown(card: ScoreCard, timeline: list[Moment] | None = None) -> str:
    info = card.info
    out = [
        f"# Drill {info.incident}",
        "",
        f"- Participant: {info.participant}",
        f"- Scenario: {info.scenario}" + (f" (seed {info.seed})" if info.seed is not None else ""),
        f"- Started: {format_utc(info.started_at)}; finished: {format_utc(card.finished_at)}",
        f"- RTO: {info.rto_minutes} min",
        f"- **Score: {card.total} / {card.max_total}**",
        "",
        "| | points | why |",
        "|---|---:|---|",
    ]
    for line in card.lines:
        why = " ".join(line.reasons).replace("|", "\\|")
        out.append(f"| {line.label} | {line.points} / {line.max_points} | {why} |")
    if timeline:
        out += ["", "## Ground truth beside the participant's timeline", ""]
        out += ["| time (UTC) | what really happened | what the participant did |", "|---|---|---|"]
        for moment in timeline:
            out.append(f"| {clock_text(moment.at)} | {moment.truth} | {moment.participant} |")
    return "\n".join(out) + "\n"


def timeline_text(timeline: list[Moment], participant: str, width: int = 78) -> str:
    """The ground truth beside the participant's timeline for a terminal: one line a moment,
    whose it is (the truth's or the participant's), wrapped to ``width``."""
    who = max(len("truth"), len(participant))
    out = ["Ground truth beside the participant's timeline (UTC)"]
    for moment in timeline:
        for owner, text in (("truth", moment.truth), (participant, moment.participant)):
            if text:
                head = f"{clock_text(moment.at)}  {owner:<{who}}  "
                out.extend(
                    textwrap.wrap(
                        text, width, initial_indent=head, subsequent_indent=" " * len(head)
                    )
                )
    return "\n".join(out)


def facilitator_timeline(
    truth: DrillTruth, facts: IncidentFacts, started_at: datetime, hints: list[datetime]
) -> list[Moment]:
    """The truth's milestones and the participant's, in time order."""
    moments = [
        Moment(truth.ground.damage_start, _damage_text(truth), ""),
        Moment(started_at, "The page went out (the drill's clock starts).", ""),
    ]
    if truth.brief.detected_at is not None:
        moments.append(Moment(truth.brief.detected_at, "First symptom reported.", ""))
    mine = _participant(facts) + [(at, "Asked for a hint.") for at in hints]
    moments += [Moment(at, "", text) for at, text in mine]
    return sorted(moments, key=lambda moment: moment.at)


def _damage_text(truth: DrillTruth) -> str:
    shape = f" ({truth.shape})" if truth.shape else ""
    return f"The damage began: {len(truth.ground.damaged):,} items{shape}."


def _participant(facts: IncidentFacts) -> list[tuple[datetime, str]]:
    found: list[tuple[datetime, str]] = []
    if facts.declared_at is not None:
        guess = f", damage start {clock_text(facts.damage_start)}" if facts.damage_start else ""
        found.append((facts.declared_at, f"Declared the incident{guess}."))
    for restore in facts.restores:
        if restore.started_at is not None:
            point = clock_text(restore.restore_point) if restore.restore_point else restore.kind
            found.append((restore.started_at, f"Restore to {point} into {restore.target}."))
    for check in facts.verifications:
        verdict = "passed" if check.passed else "failed"
        found.append((check.at, f"Verified {check.table}: {verdict}."))
    for applied in facts.settings:
        found.append((applied.at, f"Re-applied settings to {applied.target}."))
    if facts.cutover is not None:
        found.append((facts.cutover.at, f"Cutover ({facts.cutover.strategy})."))
    repair = facts.repair
    if repair is not None and repair.finished_at is not None:
        found.append((repair.finished_at, f"Repair finished: {repair.repaired:,} items."))
    if facts.service_confirmed_at is not None:
        found.append((facts.service_confirmed_at, "Confirmed the service works."))
    if facts.closed_at is not None:
        found.append((facts.closed_at, "Closed the incident."))
    return found
