"""One pass over a table's Scan pages (wire items): each item's key, rule verdict and digest."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from lee_console.core.verify import TableCheck, ViolationTally
from lee_console.core.wire_hash import key_from_text, wire_item_hash, wire_key_text
from lee_console.core.wire_rules import WireChecker

Feed = Callable[[str, bytes, bool], None]  # key text, digest, passes


def check_pages(
    pages: Iterable[Sequence[Mapping[str, Any]]],
    tally: ViolationTally,
    checker: WireChecker,
    feed: Feed | None = None,
) -> TableCheck:
    """Count the items, tally their violations (``tally``'s rules, checked by ``checker``) and,
    with ``feed``, hand on each item's key text, digest and verdict."""
    key_names = tally.key_names
    check = checker.check
    for page in pages:
        for item in page:
            key = wire_key_text(item, key_names)
            violations = check(item)
            if violations:
                tally.add(key_from_text(key, key_names), violations)
            else:
                tally.items += 1
            if feed is not None:
                feed(key, wire_item_hash(item), not violations)
    return tally.finish()
