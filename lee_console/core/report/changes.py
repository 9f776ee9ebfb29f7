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


def left_text(entry: Any) -> str:
    """A reference a rollback could not put back (core/repoint.py ChangeResult.to_json)."""
    if not isinstance(entry, dict):
        return str(entry)
    return f"{_label(entry) or '?'} ({entry.get('status') or 'not changed'})"


def _label(change: dict[str, Any]) -> str:
    return " ".join(str(change[k]) for k in ("kind", "name", "variable") if change.get(k))
