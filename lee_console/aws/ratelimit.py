"""A thread-safe sliding-window limiter, hooked before the calls AWS throttles per account."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any


class RateLimiter:
    """At most ``rate`` acquisitions in any ``window``-second span. Up to ``rate`` calls go at
    once (status on three tables does not wait); beyond that each waits for the oldest of the
    last ``rate`` to leave the window. AWS counts calls as they arrive: a window a little longer
    than its one second leaves room for network jitter."""

    def __init__(
        self,
        rate: int,
        window: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._rate = rate
        self._window = window
        self._clock = clock
        self._sleep = sleep
        self._granted: deque[float] = deque(maxlen=rate)  # the last ``rate`` slots given
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            now = self._clock()
            slot = now
            if len(self._granted) == self._rate:
                slot = max(now, self._granted[0] + self._window)
            self._granted.append(slot)
        wait = slot - now
        if wait > 0:
            self._sleep(wait)

    def before_call(self, **_: Any) -> None:
        self.acquire()
