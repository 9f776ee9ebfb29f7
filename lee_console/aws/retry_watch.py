"""What botocore's retries are doing, told to the operator as it happens: "AWS is throttling
DescribeTable, retry 2 of 5". botocore decides whether and when to retry (standard mode); this
only listens on its ``needs-retry`` event, which fires after every attempt. Waits that ride out
a longer outage (aws/outage.py) tell their listeners through the same channel."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lee_console.aws.errors import EXPIRED_CODES, THROTTLING_CODES


@dataclass(frozen=True)
class RetryNotice:
    operation: str
    attempt: int  # the attempt that just ended, from 1
    total_attempts: int  # botocore's limit, the first attempt included
    problem: str  # "" when this attempt succeeded after earlier ones failed

    @property
    def text(self) -> str:
        if not self.problem:
            return f"{self.operation} answered again after {self.attempt - 1} retries."
        retry = f"retry {self.attempt} of {self.total_attempts - 1}"
        return f"{self.problem}, {retry}."


Listener = Callable[[str], None]  # one line for the operator


class RetryWatch:
    """Registered on every client's events; tells each listener a line after an attempt that
    failed with something botocore retries, and after the success that ends a run of retries.
    Listeners run on the calling thread and must not block."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self.expired_seen = threading.Event()

    def listen(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def stop() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return stop

    def register(self, events: Any, total_attempts: int) -> None:
        def on_attempt(
            attempts: int = 1,
            response: Any = None,
            caught_exception: Exception | None = None,
            operation: Any = None,
            **_: Any,
        ) -> None:
            name = getattr(operation, "name", "?")
            problem, expired = _problem(name, response, caught_exception)
            if (not problem and attempts <= 1) or (problem and attempts >= total_attempts):
                return  # a first success; or the last failure, which the error itself tells
            if expired:  # not retried: the error that follows says it and how to renew
                self.expired_seen.set()
                return
            self.tell(RetryNotice(name, attempts, total_attempts, problem).text)

        events.register("needs-retry", on_attempt)

    def tell(self, line: str) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(line)


def _problem(name: str, response: Any, caught: Exception | None) -> tuple[str, bool]:
    """What went wrong with this attempt, in words ("" if nothing), and whether it was expired
    credentials."""
    if caught is not None:
        return f"No answer from AWS for {name} ({type(caught).__name__})", False
    if not response:
        return "", False
    http, parsed = response
    code = str(parsed.get("Error", {}).get("Code", "")) if isinstance(parsed, dict) else ""
    if code in THROTTLING_CODES:
        return f"AWS is throttling {name}", False
    if code in EXPIRED_CODES:
        return f"AWS says the credentials have expired ({name})", True
    if getattr(http, "status_code", 200) >= 500:
        return f"AWS answered {name} with a server error ({code or 'HTTP 5xx'})", False
    return "", False


def once_in(seconds: float, listener: Listener) -> Listener:
    """``listener``, told of the same trouble at most once in ``seconds``: "retry 1 of 5" is
    said, the retries after it within ``seconds`` are not, nor the same line from parallel
    scans."""
    last: dict[str, float] = {}
    lock = threading.Lock()

    def tell(line: str) -> None:
        now = time.monotonic()
        topic = line.partition(", retry ")[0]
        with lock:
            if now - last.get(topic, -seconds) < seconds:
                return
            last[topic] = now
            if len(last) > 256:
                last.clear()
        listener(line)

    return tell
