"""Files only their owner can read: the state dir holds journals, reports and logs that name
tables, keys and the caller's identity, so folders are 0700 and files 0600, and files made by
an earlier version with looser modes are tightened when they are opened."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from lee_console.core.errors import InvalidInput

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """``path`` as a folder (made if missing) that only its owner can enter."""
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    except OSError as error:  # a file where a folder should be, no permission, a full disk
        raise InvalidInput(
            f"Cannot use {path} as the console's state folder ({error.strerror or error}): "
            "point XDG_STATE_HOME or LEE_CONSOLE_STATE_DIR at a folder you can write."
        ) from None
    tighten(path, DIR_MODE)
    return path


def tighten(path: Path, mode: int = FILE_MODE) -> None:
    """Drop group and other permissions of an existing path we own (others' files are left)."""
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:
            path.chmod(mode)


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (0600, in a 0700 folder), replacing it whole: a reader at the
    same moment, or a process killed while writing, sees the old file or the new one, never an
    empty or half-written one (the file is written beside it, then renamed over it)."""
    private_dir(path.parent)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def open_private_append(path: Path) -> int:
    """A descriptor appending to (and reading) ``path`` (created 0600 in a 0700 folder)."""
    private_dir(path.parent)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)
    except OSError as error:  # a folder by that name, no permission
        raise InvalidInput(
            f"Cannot write {path} ({error.strerror or error}); nothing was written to it."
        ) from None
    tighten(path)
    return descriptor


if sys.platform == "win32":  # no advisory locks: one console per journal at a time

    def lock_exclusive(descriptor: int) -> None:
        """Nothing to lock with on Windows."""

else:
    import fcntl

    def lock_exclusive(descriptor: int) -> None:
        """Wait for, then hold, the file's lock until ``descriptor`` is closed."""
        fcntl.flock(descriptor, fcntl.LOCK_EX)
