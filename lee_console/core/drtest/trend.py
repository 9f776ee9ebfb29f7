"""The trend of a table's restore durations over its last dr-tests: a text sparkline and
min / median / max, oldest run first."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from lee_console.core.drtest.result import DrTestResult
from lee_console.core.timeparse import format_utc

TREND_RUNS = 12
_BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Trend:
    runs: tuple[DrTestResult, ...]  # the last TREND_RUNS, oldest first

    @property
    def durations(self) -> list[float]:
        return [run.restore_seconds for run in self.runs]

    def sparkline(self) -> str:
        values = self.durations
        if not values:
            return ""
        low, high = min(values), max(values)
        if high - low < 1e-9:
            return _BARS[3] * len(values)
        top = len(_BARS) - 1
        return "".join(_BARS[round((v - low) / (high - low) * top)] for v in values)

    def summary(self) -> str:
        values = self.durations
        if not values:
            return "no restore durations yet"
        return (
            f"{len(values)} run(s) {self.sparkline()}  min {seconds(min(values))}, median "
            f"{seconds(statistics.median(values))}, max {seconds(max(values))}"
        )

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(started, duration, verdict, items) per run, oldest first."""
        return [
            (format_utc(r.started_at), seconds(r.restore_seconds), r.verdict, str(r.items))
            for r in self.runs
        ]


def trend(history: Sequence[DrTestResult], runs: int = TREND_RUNS) -> Trend:
    ordered = sorted(history, key=lambda r: r.started_at)
    return Trend(tuple(ordered[-runs:]))


def seconds(value: float) -> str:
    """12.3 s, 4 min 05 s, 1 h 02 min."""
    if value < 60:
        return f"{value:.1f} s"
    whole = round(value)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
