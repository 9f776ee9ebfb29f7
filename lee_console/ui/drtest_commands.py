"""The command palette's "DR test: TABLE" for each table of the last dashboard load (restores,
probes and scratch tables left out): opens the DR test screen, which runs the test."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class DrTestCommands(Provider):
    def _tables(self) -> Iterator[str]:
        app: Any = self.app
        known: frozenset[str] = getattr(app, "known_tables", frozenset())
        from lee_console.core.metrics import is_derived_table  # not at launch: see bench_launch

        yield from sorted(t for t in known if not is_derived_table(t))

    def _open(self, table: str) -> None:
        from lee_console.ui.screens.dr_test import DrTestScreen

        self.app.push_screen(DrTestScreen(table))

    async def discover(self) -> Hits:
        for table in self._tables():
            yield DiscoveryHit(
                f"DR test: {table}", partial(self._open, table),
                help="Restore to a random point in a scratch table, verify, delete, report",
            )  # fmt: skip

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for table in self._tables():
            title = f"DR test: {table}"
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self._open, table),
                    help="Restore to a random point in a scratch table, verify, delete, report",
                )  # fmt: skip
