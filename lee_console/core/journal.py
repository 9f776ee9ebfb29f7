"""Journal events: what happened during an incident, in order, enough to rebuild state and
write the report. Serialised one JSON object per line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lee_console.core.timeparse import format_utc


@dataclass(frozen=True)
class JournalEvent:
    kind: str  # aws-call, aws-result, aws-error, restore-started, note, decision, ...
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)

    def to_line(self) -> str:
        return json.dumps(
            {"kind": self.kind, "at": format_utc_ms(self.at), **self.data},
            default=_default,
            sort_keys=False,
        )

    @staticmethod
    def from_line(line: str) -> JournalEvent:
        raw = json.loads(line)
        kind = raw.pop("kind")
        at = datetime.fromisoformat(raw.pop("at").replace("Z", "+00:00"))
        return JournalEvent(kind=kind, at=at, data=raw)


def format_utc_ms(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    return str(value)
