"""Repoint cutover, planned: which references name the live table, what each becomes, and what a
rollback puts back. Pure: aws/repoint.py finds the references and makes the changes.

A reference is an SSM parameter whose value is the table name, or a Lambda function's
environment variable whose value is the table name (found by value, as in AWS nothing else
says which configuration names a table). Every change is conditional: it is made only while
the reference still holds the value the plan saw, so a change someone made in the meantime is
reported, never overwritten.

Journal (core/journal.py): ``cutover-started`` (cutover_id, strategy "repoint", live, restored,
changes planned) before the first change; ``cutover`` (the same plus changes made, unchanged,
failed, complete) after; ``cutover-rolled-back`` per cutover (cutover_id, live, restored,
changes restored, skipped, failed, complete: an incomplete one stays pending).
A change is ``{kind: ssm|lambda, name, variable, old, new}`` (variable null for ssm).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from lee_console.core.errors import InvalidInput
from lee_console.core.journal import JournalEvent, Kind

RefKind = Literal["ssm", "lambda"]
STRATEGY = "repoint"


@dataclass(frozen=True)
class Reference:
    kind: RefKind
    name: str  # parameter name or function name
    variable: str | None  # environment variable (lambda); None for ssm
    value: str


@dataclass(frozen=True)
class Change:
    kind: RefKind
    name: str
    variable: str | None
    old: str
    new: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}" + (f" {self.variable}" if self.variable else "")

    def inverted(self) -> Change:
        return Change(self.kind, self.name, self.variable, old=self.new, new=self.old)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "variable": self.variable,
            "old": self.old,
            "new": self.new,
        }

    @staticmethod
    def from_json(raw: dict[str, Any]) -> Change:
        kind = raw["kind"]
        if kind not in ("ssm", "lambda"):
            raise ValueError(f"unknown reference kind {kind!r}")
        return Change(kind, str(raw["name"]), raw.get("variable"), str(raw["old"]), str(raw["new"]))


Status = Literal["changed", "already", "conflict", "failed"]


NOT_RECORDED = "another value (not recorded)"


@dataclass(frozen=True)
class ChangeResult:
    change: Change
    status: Status  # changed; already (held the new value); conflict (held another); failed
    detail: str = ""  # for the operator: the value found on conflict, the error on failure
    # What the journal keeps instead of ``detail`` when that quotes a value read from AWS: a
    # reference someone changed may hold anything (a secret pasted by mistake, say).
    recorded: str | None = None

    def to_json(self) -> dict[str, Any]:
        detail = self.detail if self.recorded is None else self.recorded
        return {**self.change.to_json(), "status": self.status, "detail": detail}


def found_result(change: Change, status: Status, found: str | None) -> ChangeResult:
    """The result of a change not made because the reference holds ``found``: shown to the
    operator, and journaled without the value unless it is one of the change's table names."""
    if status == "already":
        return ChangeResult(change, status)
    if found is None:
        return ChangeResult(change, status, "is gone")
    shown = f"holds {found!r}"
    return ChangeResult(change, status, shown, None if found in _names(change) else NOT_RECORDED)


def reread_failed(change: Change, found: str | None) -> ChangeResult:
    """A change sent whose re-read does not show the new value."""
    shown = f"re-read shows {found!r}, not {change.new!r}"
    if found is None or found in _names(change):
        return ChangeResult(change, "failed", shown)
    return ChangeResult(
        change, "failed", shown, f"re-read shows {NOT_RECORDED}, not {change.new!r}"
    )


def _names(change: Change) -> tuple[str, str]:
    return change.old, change.new


def plan_repoint(references: Iterable[Reference], live: str, restored: str) -> list[Change]:
    """A change for every reference whose value is exactly the live table's name."""
    if live == restored:
        raise InvalidInput(f"The live and restored tables are the same ({live}): nothing to do.")
    changes = [
        Change(ref.kind, ref.name, ref.variable, old=live, new=restored)
        for ref in references
        if ref.value == live
    ]
    return sorted(changes, key=lambda c: (c.kind != "ssm", c.name, c.variable or ""))


def classify(change: Change, current: str | None) -> Status | None:
    """None: make the change; "already": it holds the new value; "conflict": something else."""
    if current == change.old:
        return None
    if current == change.new:
        return "already"
    return "conflict"


def check_confirmation(typed: str | None, expected: str, what: str) -> None:
    """The operator must type ``expected`` (a table name) to allow ``what``."""
    if typed is None:
        raise InvalidInput(
            f"Not {what} without confirmation: type {expected} at the prompt, or pass "
            f"--confirm {expected}."
        )
    if typed.strip() != expected:
        raise InvalidInput(
            f"Not {what}: the confirmation {typed.strip()!r} is not {expected!r}; "
            f"pass --confirm {expected}."
        )


@dataclass(frozen=True)
class PendingRollback:
    cutover_id: str
    live: str
    restored: str
    changes: tuple[Change, ...]  # already inverted: old = the restored name, new = the live one


def _changes(raw: Any) -> list[Change]:
    """The recorded changes; an entry a hand edit broke is left out (it cannot be undone)."""
    found = []
    for entry in raw if isinstance(raw, list) else ():
        try:
            found.append(Change.from_json(entry))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return found


def pending_rollbacks(events: Iterable[JournalEvent]) -> list[PendingRollback]:
    """Repoint cutovers of this journal that no rollback has fully undone, latest first, each
    with the changes that put the recorded old values back. A cutover killed before its
    ``cutover`` event counts with its planned changes (rollback is conditional, so a change that
    was never made is reported as already in place)."""
    found: dict[str, PendingRollback] = {}
    order: list[str] = []
    undone: set[str] = set()
    for event in events:
        data = event.data
        if event.kind in (Kind.CUTOVER_STARTED, Kind.CUTOVER):
            if data.get("strategy") != STRATEGY or "cutover_id" not in data:
                continue
            cutover_id = str(data["cutover_id"])
            key = "changes" if event.kind == Kind.CUTOVER else "planned"
            changes = tuple(change.inverted() for change in _changes(data.get(key)))
            if cutover_id not in found:
                order.append(cutover_id)
            found[cutover_id] = PendingRollback(
                cutover_id, str(data.get("live", "")), str(data.get("restored", "")), changes
            )
        elif event.kind == Kind.CUTOVER_ROLLED_BACK and data.get("complete") is True:
            undone.add(str(data.get("cutover_id")))
    return [found[i] for i in reversed(order) if i not in undone and found[i].changes]
