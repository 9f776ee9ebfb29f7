"""The AWS calls an incident made, summarised by operation and resource for the Markdown report
("put-item lee-devices x449, conditional, 3 skipped"). The JSON form keeps the full list, each
call with its `aws` command line.

Each journaled call (``aws-call``) is followed by its answer (``aws-result`` or ``aws-error``
naming the same service and operation); answers are paired with the oldest call of theirs still
waiting, so a call whose answer never came (a killed process) is counted as such. A repair's
PutItems are journaled by batch, not one by one: they are summarised from the repair's totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lee_console.core.awscli import kebab
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.facts import Repair, str_field

CONDITION_FAILED = "ConditionalCheckFailedException"


@dataclass(frozen=True)
class CommandGroup:
    """Calls of one operation on one resource."""

    service: str
    operation: str  # as the aws CLI spells it: put-item
    resource: str | None  # the table (or parameter, function, alarm...) it acted on
    calls: int
    first: datetime
    last: datetime
    conditional: int = 0  # calls sent with a condition
    skipped: int = 0  # conditional calls whose condition failed: nothing was written
    failed: tuple[tuple[str, int], ...] = ()  # other errors: code -> count
    unanswered: int = 0  # no answer journaled (the process was killed, or it is still going)
    note: str = ""

    def text(self) -> str:
        """``put-item lee-devices x449, conditional, 3 skipped``."""
        head = " ".join(part for part in (self.operation, self.resource) if part)
        if self.calls > 1:
            head += f" x{self.calls}"
        parts = [head]
        if self.conditional:
            every = self.conditional == self.calls
            parts.append("conditional" if every else f"{self.conditional} conditional")
        if self.conditional or self.skipped:
            parts.append(f"{self.skipped} skipped")
        parts += [f"{count} failed ({code})" for code, count in self.failed]
        if self.unanswered:
            parts.append(f"{self.unanswered} with no answer journaled")
        text = ", ".join(parts)
        return f"{text} ({self.note})" if self.note else text


@dataclass
class _Group:
    service: str
    operation: str
    resource: str | None
    first: datetime
    last: datetime
    calls: int = 0
    conditional: int = 0
    skipped: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    answered: int = 0


def summarise_commands(
    events: Iterable[JournalEvent], repair: Repair | None = None
) -> tuple[CommandGroup, ...]:
    """One group per (service, operation, resource), in the order each was first called."""
    groups: dict[tuple[str, str, str | None], _Group] = {}
    waiting: dict[tuple[str, str], list[_Group]] = {}
    for event in events:
        data = event.data
        service, operation = str_field(data, "service"), str_field(data, "operation")
        if event.kind == Kind.AWS_CALL:
            params = data.get("params")
            params = params if isinstance(params, Mapping) else {}
            key = (service or "?", kebab(operation or "?"), resource_of(params))
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(*key, first=event.at, last=event.at)
            group.calls += 1
            group.last = event.at
            if any(name in params for name in ("ConditionExpression", "Expected")):
                group.conditional += 1
            waiting.setdefault((key[0], key[1]), []).append(group)
        elif event.kind in (Kind.AWS_RESULT, Kind.AWS_ERROR):
            _answer(waiting, service, operation, event)
    out = [_frozen(group) for group in groups.values()]
    if repair is not None and repair.batches:
        out.append(_repair_group(repair))
    return tuple(sorted(out, key=lambda g: g.first))


def _answer(
    waiting: dict[tuple[str, str], list[_Group]],
    service: str | None,
    operation: str | None,
    event: JournalEvent,
) -> None:
    if service and operation:
        queue = waiting.get((service, kebab(operation)))
    else:  # an error raised before AWS answered names no operation: the oldest call waiting
        queue = next((q for q in waiting.values() if q), None)
    if not queue:
        return
    group = queue.pop(0)
    group.answered += 1
    if event.kind != Kind.AWS_ERROR:
        return
    code = str_field(event.data, "error_code") or "error"
    if code == CONDITION_FAILED:
        group.skipped += 1
    else:
        group.failed[code] = group.failed.get(code, 0) + 1


def _frozen(group: _Group) -> CommandGroup:
    return CommandGroup(
        service=group.service,
        operation=group.operation,
        resource=group.resource,
        calls=group.calls,
        first=group.first,
        last=group.last,
        conditional=group.conditional,
        skipped=group.skipped,
        failed=tuple(sorted(group.failed.items())),
        unanswered=group.calls - group.answered,
    )


def _repair_group(repair: Repair) -> CommandGroup:
    calls = repair.repaired + repair.skipped
    batches = f"{repair.batches} batch{'es' if repair.batches != 1 else ''}"
    return CommandGroup(
        service="dynamodb",
        operation="put-item",
        resource=repair.live,
        calls=calls,
        first=repair.at if repair.finished_at is None else min(repair.at, repair.finished_at),
        last=repair.finished_at or repair.at,
        conditional=calls,
        skipped=repair.skipped,
        note=f"repair in place, journaled in {batches}",
    )


def resource_of(params: Mapping[str, Any]) -> str | None:
    """What a call acted on, from its (redacted) parameters: ``lee-devices``,
    ``lee-devices -> lee-devices-r1`` for a restore, a parameter or function name."""
    source, target = _text(params, "SourceTableName"), _text(params, "TargetTableName")
    if target is not None:
        return f"{source} -> {target}" if source else target
    for name in ("TableName", "AlarmName", "FunctionName", "Name"):
        value = _text(params, name)
        if value is not None:
            return value
    for name in ("ResourceArn", "ResourceId", "BackupArn"):
        value = _text(params, name)
        if value is not None:
            return _table_in(value)
    return None


def _text(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    return value if isinstance(value, str) and value else None


def _table_in(reference: str) -> str:
    """``arn:...:table/lee-devices/backup/0123`` -> ``lee-devices backup``;
    ``table/lee-devices`` -> ``lee-devices``; anything else as it is."""
    if "table/" not in reference:
        return reference
    parts = reference.split("table/", 1)[1].split("/")
    return f"{parts[0]} {parts[1]}" if len(parts) > 1 else parts[0]
