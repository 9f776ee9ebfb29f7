"""Which process wrote a journal record, and whether it may still be running: a run journaled as
started and never as finished is either interrupted (killed) or still under way, and only the
process table of this host can tell them apart."""

from __future__ import annotations

import os
import socket


def this_process() -> dict[str, object]:
    """The fields (pid, host) that let a later run tell a killed run from one under way."""
    return {"pid": os.getpid(), "host": socket.gethostname()}


def alive_elsewhere(pid: int | None, host: str | None) -> bool:
    """Another live process of this host made it. This process, a pid that is gone, one on
    another host (which cannot be asked) and a record with no pid all count as not running:
    the caller keeps its own runs of this process apart."""
    if host is not None and host != socket.gethostname():
        return False
    if pid is None or pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True
