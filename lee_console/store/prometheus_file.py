"""The Prometheus metrics file that node_exporter's textfile collector reads
(`status --emit-metrics prometheus`): written whole to a temporary file beside it and renamed
over it, so the collector never reads half a file.

Unlike everything else the console writes (0600 in 0700 folders, store/private.py), this file
is 0644: node_exporter runs as its own user and must read it. It holds table names and numbers
only (coverage, alerts, dr-test verdict and duration), no keys, items or identities. Its folder
is the collector's (--collector.textfile.directory), made by whoever installs node_exporter:
it is never created here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from lee_console.core.errors import InvalidInput

DEFAULT_PATH = Path("/var/lib/node_exporter/textfile_collector/lee_pitr.prom")
FILE_MODE = 0o644  # world-readable on purpose: node_exporter must read it (table names only)


def check_metrics_path(path: Path) -> None:
    """Refuse, before anything is read from AWS, a path that cannot be the file: a folder
    (`--metrics-file ''` is the current folder) or one in a folder that does not exist."""
    if path.is_dir():
        raise InvalidInput(
            f"Cannot write {path}: it is a folder; --metrics-file names the file (for example "
            f"{path / DEFAULT_PATH.name})."
        )
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(
            f"Cannot write {path}: the folder {folder} does not exist (it is node_exporter's "
            "textfile collector folder); create it or pass --metrics-file PATH."
        )


def write_metrics_file(path: Path, text: str) -> Path:
    check_metrics_path(path)
    folder = path.parent
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise InvalidInput(f"Cannot write {path} ({error.strerror or error}).") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(f"Cannot write {path} ({error.strerror or error}).") from None
    return path
