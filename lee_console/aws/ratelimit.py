"""A thread-safe token bucket, hooked before the calls AWS throttles per account."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class RateLimiter:
    """At most ``rate`` acquisitions in any one-second span, without bursts above it."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next_free = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_free)
            self._next_free = slot + self._interval
        wait = slot - now
        if wait > 0:
            self._sleep(wait)

    def before_call(self, **_: Any) -> None:
        self.acquire()
