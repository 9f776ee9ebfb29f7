"""DescribeContinuousBackups stays under AWS's per-account limit (10 calls a second, counted as
they arrive): at most 9 in any 1.1 s, the first ones at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from lee_console.aws.ratelimit import RateLimiter
from lee_console.aws.session import Aws


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.lock = threading.Lock()
        self.grants: list[float] = []

    def __call__(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        with self.lock:
            self.now += seconds


def acquire(limiter: RateLimiter, clock: FakeClock) -> None:
    limiter.acquire()
    clock.grants.append(clock.now)


def test_never_more_than_rate_in_any_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(9, 1.1, clock=clock, sleep=clock.sleep)
    for _ in range(50):
        acquire(limiter, clock)
    grants = clock.grants
    assert all(later - grants[i] >= 1.1 - 1e-9 for i, later in enumerate(grants[9:]))
    assert grants[-1] - 1000.0 < 5 * 1.1 + 1e-9  # 50 calls: 5 full windows after the first 9


def test_a_few_calls_do_not_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(9, 1.1, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        acquire(limiter, clock)
    assert clock.grants == [1000.0] * 3


def test_no_wait_when_calls_are_already_spaced() -> None:
    clock = FakeClock()
    slept: list[float] = []
    limiter = RateLimiter(10, clock=clock, sleep=slept.append)
    for _ in range(30):
        limiter.acquire()
        clock.now += 0.2
    assert slept == []


def test_idle_time_banks_nothing_beyond_the_window() -> None:
    """After a pause, 19 calls: 9 at once, then 9 more only once the window has passed."""
    clock = FakeClock()
    limiter = RateLimiter(9, 1.1, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 60
    start = clock.now
    for _ in range(19):
        acquire(limiter, clock)
    assert clock.grants[8] == start and clock.grants[9] >= start + 1.1 - 1e-9
    assert clock.grants[18] >= start + 2.2 - 1e-9


def test_threads_share_the_budget() -> None:
    limiter = RateLimiter(20, 0.5)
    start = time.monotonic()
    threads = [threading.Thread(target=limiter.acquire) for _ in range(41)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - start >= 1.0 - 0.02  # 41 = 20 + 20 + 1: two windows waited


def test_real_calls_through_aws_are_paced(
    make_aws: Callable[..., Aws], new_table: Callable[..., str]
) -> None:
    """30 DescribeContinuousBackups through the session take at least three windows (3.3 s):
    9 at once, then 9 per 1.1 s; other calls are not paced."""
    aws = make_aws()
    table = new_table()
    start = time.monotonic()
    for _ in range(10):
        aws.dynamodb.describe_table(TableName=table)
    assert time.monotonic() - start < 0.9  # DescribeTable is not paced
    start = time.monotonic()
    for _ in range(30):
        aws.dynamodb.describe_continuous_backups(TableName=table)
    assert time.monotonic() - start >= 3.3 - 0.05
