"""DescribeContinuousBackups stays at or under 10 calls a second (AWS's per-account limit)."""

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

    def __call__(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        with self.lock:
            self.now += seconds


def test_n_acquisitions_take_at_least_n_minus_one_intervals() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    for _ in range(25):
        limiter.acquire()
    assert clock.now - 1000.0 >= 2.4 - 1e-9


def test_no_wait_when_calls_are_already_spaced() -> None:
    clock = FakeClock()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = RateLimiter(10, clock=clock, sleep=sleep)
    for _ in range(5):
        limiter.acquire()
        clock.now += 0.2
    assert slept == []


def test_no_burst_after_idle() -> None:
    """Idle time does not bank tokens: after a pause, 11 calls still span a full second."""
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 60
    start = clock.now
    for _ in range(11):
        limiter.acquire()
    assert clock.now - start >= 1.0 - 1e-9


def test_threads_share_the_budget() -> None:
    limiter = RateLimiter(50)
    start = time.monotonic()
    threads = [threading.Thread(target=limiter.acquire) for _ in range(26)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - start >= 25 / 50 - 0.02


def test_real_calls_through_aws_are_paced(
    make_aws: Callable[..., Aws], new_table: Callable[..., str]
) -> None:
    """30 DescribeContinuousBackups through the session take at least 2.9 s; other calls are
    not paced."""
    aws = make_aws()
    table = new_table()
    start = time.monotonic()
    for _ in range(10):
        aws.dynamodb.describe_table(TableName=table)
    assert time.monotonic() - start < 0.9  # DescribeTable is not paced
    start = time.monotonic()
    for _ in range(30):
        aws.dynamodb.describe_continuous_backups(TableName=table)
    assert time.monotonic() - start >= 2.9
