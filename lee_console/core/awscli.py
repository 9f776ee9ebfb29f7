"""The `aws` CLI line equivalent to an API call: for the journal and the restore plan."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lee_console.core.timeparse import format_utc

_SECRET_PARAMS = {"SecretAccessKey", "SessionToken", "Password"}


_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def kebab(name: str) -> str:
    """RestoreTableToPointInTime -> restore-table-to-point-in-time; acronyms stay whole, as the
    aws CLI spells them (SSESpecificationOverride -> sse-specification-override)."""
    return _WORD_BREAK.sub("-", name).lower()


def aws_cli_line(service: str, operation: str, params: Mapping[str, Any]) -> str:
    """`aws dynamodb restore-table-to-point-in-time --source-table-name ...`."""
    parts = ["aws", service, kebab(operation)]
    for key, value in params.items():
        if key in _SECRET_PARAMS:
            value = "***"
        flag = f"--{kebab(key)}"
        if isinstance(value, bool):
            parts.append(flag if value else f"--no-{kebab(key)}")
            continue
        parts.extend([flag, _render(value)])
    return " ".join(shlex.quote(part) for part in parts)


def _render(value: Any) -> str:
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, default=_json_default, separators=(",", ":"))


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return format_utc(value)
    return str(value)
