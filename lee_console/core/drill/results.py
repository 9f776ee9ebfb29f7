"""Saved drill results, ranked for a facilitator: best score first, then the faster recovery."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lee_console.core.report.units import minutes_text
from lee_console.core.text import text_table


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
