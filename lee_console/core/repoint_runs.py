"""Repoints that never finished: a ``cutover-started`` (repoint) with no ``cutover`` and no
``cutover-rolled-back`` of its id. The process making it was killed (or is still running):
some references may already name the restored table, one of them perhaps by a write that
landed after its last journal record. Pure: aws/repoint_resume.py reads what each planned
reference holds now, and ``assess`` says which were changed, which were not, and which hold
something else, so that nothing points at a mix of tables without the console saying so.

    runs = interrupted_repoints(journal.events())             # latest first
    state = assess(runs[0], {change.label: value_now, ...})   # the values read from AWS
    state.summary()   # "A repoint of lee-devices to X (cutover ...) was interrupted: 1 of 2 ..."
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.repoint import STRATEGY, Change, ChangeResult, found_result
from lee_console.core.timeparse import format_utc


@dataclass(frozen=True)
class InterruptedRepoint:
    cutover_id: str
    live: str
    restored: str
    planned: tuple[Change, ...]  # old = the live table's name, new = the restored one
    started_at: datetime
    pid: int | None = None  # the process that made it (None: not recorded)
    host: str | None = None


def _planned(raw: Any) -> tuple[Change, ...]:
    found = []
    for entry in raw if isinstance(raw, list) else ():
        try:
            found.append(Change.from_json(entry))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # a hand-broken entry: it cannot be checked
    return tuple(found)


def interrupted_repoints(events: Iterable[JournalEvent]) -> list[InterruptedRepoint]:
    """Repoints journaled as started and never as finished or rolled back, latest first."""
    started: dict[str, InterruptedRepoint] = {}
    order: list[str] = []
    for event in events:
        data = event.data
        if data.get("strategy") != STRATEGY or not isinstance(data.get("cutover_id"), str):
            continue
        cutover_id = data["cutover_id"]
        if event.kind == Kind.CUTOVER_STARTED:
            pid = data.get("pid")
            host = data.get("host")
            started[cutover_id] = InterruptedRepoint(
                cutover_id,
                str(data.get("live", "")),
                str(data.get("restored", "")),
                _planned(data.get("planned")),
                event.at,
                pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
                host if isinstance(host, str) else None,
            )
            order.append(cutover_id)
        elif event.kind in (Kind.CUTOVER, Kind.CUTOVER_ROLLED_BACK):
            started.pop(cutover_id, None)
    return [started[i] for i in reversed(order) if i in started and started[i].planned]


@dataclass(frozen=True)
class RepointState:
    """What an interrupted repoint left in AWS, reference by reference."""

    run: InterruptedRepoint
    changed: tuple[Change, ...]  # hold the restored name: changed by the killed run
    left: tuple[Change, ...]  # still hold the live name: the rest of the repoint
    other: tuple[tuple[Change, str | None], ...]  # hold neither (None: gone)

    @property
    def mixed(self) -> bool:
        """Some references name the restored table and some do not."""
        return bool(self.changed) and bool(self.left or self.other)

    def other_results(self) -> list[ChangeResult]:
        """The references holding neither name, as conflicts (journaled without the value)."""
        return [found_result(change, "conflict", value) for change, value in self.other]

    def summary(self) -> str:
        run = self.run
        total = len(run.planned)
        text = (
            f"A repoint of {run.live} to {run.restored} (cutover {run.cutover_id}, started "
            f"{format_utc(run.started_at)}) was interrupted: {len(self.changed)} of {total} "
            "reference(s) changed"
        )
        if self.changed:
            text += f" ({', '.join(c.label for c in self.changed)})"
        if self.left:
            text += f"; still {run.live}: {', '.join(c.label for c in self.left)}"
        if self.other:
            held = ", ".join(f"{r.change.label} {r.detail}" for r in self.other_results())
            text += f"; neither: {held}"
        return text + "."

    def offer(self) -> str:
        run = self.run
        finish = f"`lee-console cutover repoint {run.live} --to {run.restored}` finishes it"
        if not self.left:
            finish += " (nothing left to change: it records the cutover)"
        return f"{finish}; `lee-console cutover rollback` puts back what it changed."


def assess(run: InterruptedRepoint, current: Mapping[str, str | None]) -> RepointState:
    """``current``: what each planned reference holds now, by ``Change.label``."""
    changed: list[Change] = []
    left: list[Change] = []
    other: list[tuple[Change, str | None]] = []
    for change in run.planned:
        value = current.get(change.label)
        if value == change.new:
            changed.append(change)
        elif value == change.old:
            left.append(change)
        else:
            other.append((change, value))
    return RepointState(run, tuple(changed), tuple(left), tuple(other))


def finished_fields(state: RepointState, results: list[ChangeResult]) -> dict[str, Any]:
    """The ``cutover`` event that finishes an interrupted repoint: its changes are those the
    killed run made (found holding the new value) and those made now, so that a rollback puts
    back both; the references found holding neither are unchanged (conflict)."""
    made = [r.change for r in results if r.status == "changed"]
    unchanged = [r.to_json() for r in results if r.status in ("already", "conflict")]
    unchanged += [r.to_json() for r in state.other_results()]
    failed = [r.to_json() for r in results if r.status == "failed"]
    complete = not state.other and all(r.status in ("changed", "already") for r in results)
    return {
        "changes": [c.to_json() for c in (*state.changed, *made)],
        "unchanged": unchanged,
        "failed": failed,
        "complete": complete,
        "resumed": True,
        "by_interrupted_run": [c.to_json() for c in state.changed],
    }


def refuse_other_target(states: list[RepointState], live: str, restored: str) -> str | None:
    """Why a repoint of ``live`` to ``restored`` must wait: an interrupted repoint of ``live`` to
    another table (finishing both would leave the references split between two tables)."""
    for state in states:
        run = state.run
        if run.live == live and run.restored != restored:
            return (
                f"Not repointing {live} to {restored}: a repoint of {live} to {run.restored} "
                f"(cutover {run.cutover_id}) was interrupted with {len(state.changed)} of "
                f"{len(run.planned)} reference(s) changed; finish it (`lee-console cutover "
                f"repoint {live} --to {run.restored}`) or roll it back (`lee-console cutover "
                "rollback`) first."
            )
    return None
