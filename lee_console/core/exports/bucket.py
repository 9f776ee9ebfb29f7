"""An S3 bucket name as AWS takes it (3-63 characters: lowercase letters, digits, dots and
hyphens, beginning and ending with a letter or digit), checked before any export starts."""

from __future__ import annotations

import re

_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


def bucket_problem(name: str) -> str | None:
    """Why ``name`` is not a bucket name (None: it is one)."""
    if not _NAME.fullmatch(name) or ".." in name:
        shown = name if len(name) <= 70 else name[:60] + "..."
        return (
            f"{shown!r} is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)"
        )
    return None
