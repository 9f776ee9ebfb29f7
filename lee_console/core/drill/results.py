"""Saved drill results, ranked for a facilitator: best score first, then the faster recovery."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from lee_console.core.report.units import minutes_text
from lee_console.core.text import text_table

_TEXT = ("participant", "scenario", "finished_at")


def is_result(data: Any) -> bool:
    """A saved card as drill finish writes it: a finite score, a recovery time that is a
    number of seconds or null, hints a count, and names that are one printable line (a file
    edited by hand or by something else is not shown: its text could drive the terminal)."""
    if not isinstance(data, Mapping):
        return False
    total, seconds, hints = data.get("total"), data.get("recovered_seconds"), data.get("hints_used")
    return (
        _number(total)
        and (seconds is None or (_number(seconds) and seconds >= 0))
        and (hints is None or (isinstance(hints, int) and not isinstance(hints, bool)))
        and all(_line(data.get(key)) for key in _TEXT)
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _line(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.isprintable() and len(value) < 200)


def ranked(results: Iterable[Mapping[str, Any]], participant: str | None = None) -> list[Any]:
    """Results (card JSON) of ``participant`` (all when None), best first."""
    chosen = [r for r in results if participant is None or r.get("participant") == participant]

    def order(result: Mapping[str, Any]) -> tuple[float, float, str]:
        total = result.get("total")
        seconds = result.get("recovered_seconds")
        return (
            -(total if isinstance(total, int | float) else -1),
            seconds if isinstance(seconds, int | float) else float("inf"),
            str(result.get("finished_at", "")),
        )

    return sorted(chosen, key=order)


def results_table(results: list[Mapping[str, Any]]) -> str:
    headers = ["#", "PARTICIPANT", "SCORE", "RECOVERED IN", "HINTS", "SCENARIO", "FINISHED"]
    rows = []
    for rank, result in enumerate(results, start=1):
        seconds = result.get("recovered_seconds")
        rows.append(
            [
                str(rank),
                str(result.get("participant", "?")),
                f"{result.get('total', '?')}/{result.get('max_total', '?')}",
                minutes_text(seconds) if isinstance(seconds, int | float) else "not recovered",
                str(result.get("hints_used", 0)),
                str(result.get("scenario", "?")),
                str(result.get("finished_at", "?")),
            ]
        )
    return text_table(headers, rows)
