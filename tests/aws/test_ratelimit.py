"""DescribeContinuousBackups stays under AWS's per-account limit (10 calls a second, counted as
they arrive), whatever the network does to each call: a call holds its place from its sending
until a window after its answer."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from lee_console.aws.ratelimit import RateLimiter
from lee_console.aws.session import Aws


def most_in_any_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(
        sum(1 for later in times[i:] if later - start < window) for i, start in enumerate(times)
    )


def call_through(limiter: RateLimiter, arrivals: list[float], rng: random.Random) -> None:
    """One call: sent, delayed on its way (0-80 ms), counted by AWS on arrival, answered after
    another 0-80 ms."""
    limiter.acquire()
    time.sleep(rng.uniform(0, 0.08))
    arrivals.append(time.monotonic())
    time.sleep(rng.uniform(0, 0.08))
    limiter.release()


def test_no_window_holds_more_arrivals_than_the_rate_whatever_the_delays() -> None:
    """Calls whose network delays vary by 80 ms each way: a limiter counting from the sending
    alone would let 11 arrive within one window (a slow first call, a fast eleventh)."""
    limiter = RateLimiter(5, 0.3)
    arrivals: list[float] = []
    threads = [
        threading.Thread(target=call_through, args=(limiter, arrivals, random.Random(seed)))
        for seed in range(30)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(arrivals) == 30
    assert most_in_any_window(arrivals, 0.3) <= 5


def test_a_few_calls_do_not_wait() -> None:
    limiter = RateLimiter(10, 1.0)
    start = time.monotonic()
    for _ in range(10):
        limiter.acquire()
        limiter.release()
    assert time.monotonic() - start < 0.5


def test_the_eleventh_waits_a_window_after_the_first_answer() -> None:
    limiter = RateLimiter(10, 0.4)
    for _ in range(10):
        limiter.acquire()
        limiter.release()
    answered = time.monotonic()
    limiter.acquire()
    assert time.monotonic() - answered >= 0.4 - 0.01


def test_calls_in_flight_hold_their_place_until_answered() -> None:
    """Two calls not yet answered with a rate of two: a third waits for an answer, however long
    ago the two were sent, and then a window more."""
    limiter = RateLimiter(2, 0.2)
    answered_at: list[float] = []

    def slow_call() -> None:
        limiter.acquire()
        time.sleep(0.5)
        answered_at.append(time.monotonic())
        limiter.release()

    slow = [threading.Thread(target=slow_call) for _ in range(2)]
    for thread in slow:
        thread.start()
    time.sleep(0.05)
    limiter.acquire()
    assert answered_at and time.monotonic() >= min(answered_at) + 0.2 - 0.01
    for thread in slow:
        thread.join()


def test_an_attempt_never_answered_does_not_hold_its_place_for_ever() -> None:
    """A thread whose attempt ended without an answer event (an exception botocore does not
    catch) frees its place on its next attempt."""
    limiter = RateLimiter(1, 0.1)
    limiter.acquire()
    start = time.monotonic()
    limiter.acquire()  # the same thread again: its first attempt counts as answered now
    assert time.monotonic() - start < 0.5


def test_real_calls_through_aws_are_paced(
    make_aws: Callable[..., Aws], new_table: Callable[..., str]
) -> None:
    """31 DescribeContinuousBackups through the session take at least three windows: 10 at
    once, then 10 a window after the answers; other calls are not paced."""
    aws = make_aws()
    table = new_table()
    start = time.monotonic()
    for _ in range(10):
        aws.dynamodb.describe_table(TableName=table)
    assert time.monotonic() - start < 0.9  # DescribeTable is not paced
    start = time.monotonic()
    for _ in range(31):
        aws.dynamodb.describe_continuous_backups(TableName=table)
    assert time.monotonic() - start >= 3 * 1.05 - 0.05


def test_handles_on_the_same_account_share_the_limit(
    make_aws: Callable[..., Aws], new_table: Callable[..., str]
) -> None:
    """Two handles in one process on the same endpoint (two commands run one after the other,
    as the tests do): 10 calls through each are paced as one account's, so the sandbox, which
    enforces AWS's 10 a second, throttles none of them."""
    first, second = make_aws(), make_aws()
    table = new_table()
    said: list[str] = []
    for aws in (first, second):
        aws.retries.listen(said.append)
    for aws in (first, second):
        for _ in range(10):
            aws.dynamodb.describe_continuous_backups(TableName=table)
    assert said == []
