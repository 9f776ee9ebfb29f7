"""Which columns of a table fit a terminal's width. Columns are dropped by priority, whole,
never cut: the flexible one (a name, shortened by its own rule) always shows, and the others in
priority order for as long as each fits beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Fit:
    shown: tuple[str, ...]  # the keys of the columns that show, in priority order
    widths: dict[str, int]  # each shown column's content width (without the gap)

    def hidden(self, keys: Sequence[str]) -> tuple[str, ...]:
        return tuple(key for key in keys if key not in self.shown)


def fit_columns(
    natural: Sequence[tuple[str, int]],
    available: int,
    *,
    flexible: str,
    flexible_min: int,
    gap: int = 2,
) -> Fit:
    """``natural`` is every column's (key, content width) in priority order (the widest cell
    or the header); each column also takes ``gap`` cells. The flexible column needs at least
    ``min(its natural width, flexible_min)``; the others are added in order until one does not
    fit, and it and every one after it are hidden. The flexible column then takes what is left,
    up to its natural width."""
    widths = dict(natural)
    flexible_natural = widths[flexible]
    needed = min(flexible_natural, flexible_min) + gap
    shown = [flexible]
    for key, width in natural:
        if key == flexible:
            continue
        if needed + width + gap > available:
            break
        needed += width + gap
        shown.append(key)
    rest = available - sum(widths[key] + gap for key in shown if key != flexible) - gap
    widths = {key: widths[key] for key in shown}
    widths[flexible] = max(1, min(flexible_natural, rest))
    order = [key for key, _ in natural if key in shown]
    return Fit(tuple(order), widths)
