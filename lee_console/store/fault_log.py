"""Faults in the console itself (not AWS's answers, not bad input): the traceback goes to
``lee-console.log`` in the state dir (0600), so the operator gets one line that names the file
and a developer gets the whole story."""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

from lee_console.core.errors import InvalidInput
from lee_console.store.paths import state_dir
from lee_console.store.private import open_private_append

LOG_NAME = "lee-console.log"


def fault_log_path() -> Path:
    return state_dir() / LOG_NAME


def log_fault(error: BaseException, doing: str = "") -> Path:
    """Append ``error``'s traceback to the log; returns the log's path. Never raises."""
    path = fault_log_path()
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = "".join(traceback.format_exception(error))
    entry = f"--- {stamp} {doing}\n{text}\n".encode("utf-8", "replace")
    try:
        descriptor = open_private_append(path)
        try:
            os.write(descriptor, entry)
        finally:
            os.close(descriptor)
    except (OSError, InvalidInput):  # no usable state dir: the line still names where it would be
        pass
    return path


def fault_line(error: BaseException, path: Path) -> str:
    return (
        f"internal error ({type(error).__name__}); the traceback is in {path} "
        "(--debug prints it). Nothing more was sent."
    )
