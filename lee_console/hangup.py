"""SIGHUP, as a dropped SSH session sends it, handled by the headless commands as Ctrl-C: a
KeyboardInterrupt in the main thread, so each command's Ctrl-C path runs (find-good deletes its
probes, repair stops after its batch and journals it, restore stops waiting; the restore goes
on in AWS) and the exit code is 130.

The first SIGHUP is the only one: a hangup may be delivered twice (by the kernel to the
terminal's foreground process group and again by the shell to its jobs), and a second Ctrl-C
means "leave the probes", which a dropped session never asked for. The terminal that hung up
is replaced by /dev/null, so that what the cleanup says cannot fail with EIO and stop it; the
journal keeps the record. The console (TUI) runs an asyncio loop, where a KeyboardInterrupt
would tear through Textual: ``on_hangup`` calls back on the loop instead, and the console
leaves as `q` does (ui/app.py).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType

_hung_up = threading.Event()


def hung_up() -> bool:
    """A SIGHUP was received (by ``hangup_as_interrupt``)."""
    return _hung_up.is_set()


@contextmanager
def hangup_as_interrupt() -> Iterator[None]:
    """While open, SIGHUP raises KeyboardInterrupt in the main thread (once; later ones are
    ignored, and stay ignored after it closes). Does nothing outside the main thread or on a
    platform without SIGHUP."""
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    terminals = [fd for fd in (0, 1, 2) if _is_terminal(fd)]

    def interrupt(signum: int, frame: FrameType | None) -> None:
        signal.signal(hangup, signal.SIG_IGN)
        _hung_up.set()
        _leave(terminals)
        raise KeyboardInterrupt

    _hung_up.clear()
    previous = signal.signal(hangup, interrupt)
    try:
        yield
    finally:
        if not _hung_up.is_set():
            signal.signal(hangup, previous)


def on_hangup(callback: Callable[[], None]) -> Callable[[], None]:
    """In the main thread's running asyncio loop: the first SIGHUP replaces the terminal by
    /dev/null and calls ``callback`` on the loop; later ones are ignored. Returns the function
    that stops it (nothing is done where the loop cannot take signal handlers)."""
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None:
        return lambda: None
    import asyncio  # here: a headless command (status) has no loop and need not import it

    terminals = [fd for fd in (0, 1, 2) if _is_terminal(fd)]
    loop = asyncio.get_running_loop()

    def hung_up_now() -> None:
        loop.remove_signal_handler(hangup)
        signal.signal(hangup, signal.SIG_IGN)
        _hung_up.set()
        _leave(terminals)
        callback()

    try:
        loop.add_signal_handler(hangup, hung_up_now)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
        return lambda: None
    _hung_up.clear()

    def release() -> None:
        if not _hung_up.is_set():
            loop.remove_signal_handler(hangup)

    return release


def _is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _leave(terminals: list[int]) -> None:
    """Point the descriptors that were a terminal at /dev/null (the terminal is gone)."""
    if not terminals:
        return
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in terminals:
        with suppress(OSError):
            os.dup2(null, fd)
    os.close(null)
