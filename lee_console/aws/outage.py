"""Riding out an outage: a wait that must not be lost (a restore's, a repair's) keeps trying
through errors that end by themselves (core.errors.PASSING: no answer from the endpoint,
throttling or server errors beyond botocore's retries, expired credentials being renewed), says
what it is waiting for, and gives up only when the outage outlasts its own deadline."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from lee_console.aws.retry_watch import RetryWatch
from lee_console.core.errors import PASSING, CredentialsExpired, LeeError

T = TypeVar("T")
OUTAGE_DEADLINE_SECONDS = 15 * 60.0
_PAUSES = (2.0, 4.0, 8.0, 15.0)  # then 15 s between tries


def ride_out(
    call: Callable[[], T],
    watch: RetryWatch,
    *,
    deadline_seconds: float = OUTAGE_DEADLINE_SECONDS,
    cancelled: threading.Event | None = None,
) -> T:
    """``call()``'s result; while it raises a PASSING error, tell ``watch``'s listeners and try
    again after a pause, until ``deadline_seconds`` after the first failure (or ``cancelled``),
    when the last error is raised."""
    first_failure: float | None = None
    began = datetime.now(UTC)
    tries = 0
    while True:
        try:
            result = call()
        except PASSING as error:
            now = time.monotonic()
            if first_failure is None:
                first_failure, began = now, datetime.now(UTC)
            waited = now - first_failure
            pause = _PAUSES[min(tries, len(_PAUSES) - 1)]
            if waited + pause > deadline_seconds or (cancelled and cancelled.is_set()):
                raise
            tries += 1
            if isinstance(error, CredentialsExpired):  # an SSO sign-in fails before sending:
                watch.expired_seen.set()  # the next try reads the credentials afresh
            watch.tell(_waiting_line(error, began, waited, pause, deadline_seconds))
            if cancelled is not None:
                if cancelled.wait(pause):
                    raise
            else:
                time.sleep(pause)
            continue
        if first_failure is not None:
            watch.tell(f"AWS answers again after {_span(time.monotonic() - first_failure)}.")
        return result


def _waiting_line(
    error: LeeError, began: datetime, waited: float, pause: float, deadline: float
) -> str:
    gives_up = began + timedelta(seconds=deadline)
    return (
        f"{error.message.rstrip('.')}. Still trying: {_span(waited)} so far, next try in "
        f"{pause:.0f} s, giving up at {gives_up:%H:%M:%S} UTC."
    )


def _span(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"
