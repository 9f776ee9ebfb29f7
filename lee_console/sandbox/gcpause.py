"""Pause Python's cyclic garbage collector around bulk allocations (seeding, restores).

Building 100k items allocates a few hundred thousand objects; the collector would rescan the
growing heap many times over (a third of a restore's time). Nested and concurrent pauses are
counted; the collector resumes when the last one ends, if it was on before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """``freeze``: afterwards move everything alive to the permanent generation, so later
    collections skip it (for long-lived data such as seeded tables)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            if freeze:
                gc.freeze()
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
