"""The dashboard's order: each table followed by the tables restored from it (restores and
find-good probes), indented beneath it, so a restore is read next to its source."""

from __future__ import annotations

from collections.abc import Sequence

from lee_console.core.pitr import TableSummary


def grouped(tables: Sequence[TableSummary]) -> list[tuple[TableSummary, int]]:
    """``(table, depth)`` in display order: the tables that are not restores of a listed table
    keep their order (depth 0); beneath each come its restores in name order (depth 1), and
    restores of those beneath them. A restore whose source is not listed stands on its own."""
    listed = {table.name for table in tables}
    children: dict[str, list[TableSummary]] = {}
    roots: list[TableSummary] = []
    for table in tables:
        source = table.restored_from
        if source is not None and source in listed:
            children.setdefault(source, []).append(table)
        else:
            roots.append(table)
    for restores in children.values():
        restores.sort(key=lambda table: table.name)
    order: list[tuple[TableSummary, int]] = []
    placed: set[str] = set()

    def place(table: TableSummary, depth: int) -> None:
        if table.name in placed:
            return
        placed.add(table.name)
        order.append((table, depth))
        for restore in children.get(table.name, ()):
            place(restore, depth + 1)

    for table in roots:
        place(table, 0)
    for table in tables:  # restores of each other (only a hand-made answer has such a loop)
        place(table, 0)
    return order
