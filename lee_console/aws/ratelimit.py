"""A thread-safe limiter for the calls AWS throttles per account, hooked around each attempt."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

STUCK_SECONDS = 60.0  # an attempt never answered (its thread died) stops holding its place


class RateLimiter:
    """At most ``rate`` calls arriving at AWS in any ``window`` seconds.

    AWS counts a call when it arrives, which we cannot see, but it lies between our sending it
    and its answer. So a call holds its place from when it is sent until ``window`` after its
    answer: however the network delays one call and hurries the next, no ``rate + 1`` calls let
    through can arrive within one window, and the window need not be padded for jitter. Up to
    ``rate`` calls go at once (status on three tables does not wait).

    ``acquire`` before each attempt (before-send), ``release`` when it is answered, by an error
    too (response-received); both from the thread making the call.
    """

    def __init__(self, rate: int, window: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self._rate = rate
        self._window = window
        self._clock = clock
        self._answered: deque[float] = deque()  # answer times still inside the window
        self._in_flight: dict[int, float] = {}  # thread -> when its attempt was sent
        self._changed = threading.Condition()

    def acquire(self) -> None:
        me = threading.get_ident()
        with self._changed:
            if me in self._in_flight:  # this thread's last attempt was never answered
                self._answer(me)
            while True:
                now = self._clock()
                self._forget_old(now)
                if len(self._in_flight) + len(self._answered) < self._rate:
                    self._in_flight[me] = now
                    return
                # Wait for the oldest answer to leave the window, or for an answer to come.
                wait = self._answered[0] + self._window - now if self._answered else None
                self._changed.wait(wait)

    def release(self) -> None:
        with self._changed:
            if threading.get_ident() in self._in_flight:
                self._answer(threading.get_ident())
                self._changed.notify_all()

    def before_send(self, **_: Any) -> None:
        self.acquire()

    def answered(self, **_: Any) -> None:
        self.release()

    def _answer(self, thread: int) -> None:
        del self._in_flight[thread]
        self._answered.append(self._clock())

    def _forget_old(self, now: float) -> None:
        while self._answered and self._answered[0] + self._window <= now:
            self._answered.popleft()
        for thread, sent in list(self._in_flight.items()):
            if now - sent > STUCK_SECONDS:
                self._answer(thread)
