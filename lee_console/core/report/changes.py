"""Cutover and rollback changes as the report names them (core/repoint.py writes them)."""

from __future__ import annotations

from typing import Any


def change_text(change: Any) -> str:
    """``{kind: ssm|lambda, name, variable, old, new}`` (core/repoint.py) as one line."""
    if not isinstance(change, dict):
        return str(change)
    label = _label(change)
    if "old" in change and "new" in change:
        return f"{label or '?'}: {change['old']} -> {change['new']}"
    return label or "?"


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


_LEFT_BECAUSE = {
    "conflict": "conflict: changed or removed since, left as it is",
    "failed": "failed: it may still name the restored table",
}


def left_text(entry: Any) -> str:
    """A reference a rollback could not put back (core/repoint.py ChangeResult.to_json). Its
    recorded detail is not repeated: an older journal may quote the value found there."""
    if not isinstance(entry, dict):
        return str(entry)
    status = entry.get("status")
    why = _LEFT_BECAUSE.get(status, status) if isinstance(status, str) else None
    return f"{_label(entry) or '?'} ({why or 'not changed'})"


def _label(change: dict[str, Any]) -> str:
    return " ".join(str(change[k]) for k in ("kind", "name", "variable") if change.get(k))
