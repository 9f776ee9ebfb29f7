"""The errors AWS documents for the export operations, in moto's JSON error form."""

from __future__ import annotations

from moto.core.exceptions import JsonRESTError

from lee_console.sandbox import clock

_PREFIX = "com.amazonaws.dynamodb.v20120810#"


def _iso(ts: float) -> str:
    return clock.to_datetime(ts).isoformat()


class InvalidExportTime(JsonRESTError):
    code = 400

    def __init__(self, what: str, requested: float, earliest: float, latest: float) -> None:
        super().__init__(
            _PREFIX + "InvalidExportTimeException",
            f"{what} is outside the point in time recovery window: {_iso(requested)} is not in "
            f"[{_iso(earliest)}, {_iso(latest)}] (EarliestRestorableDateTime, now)",
        )


class ExportConflict(JsonRESTError):
    code = 400

    def __init__(self, client_token: str) -> None:
        super().__init__(
            _PREFIX + "ExportConflictException",
            f"ClientToken {client_token} was already used by an export with other parameters",
        )


class ExportNotFound(JsonRESTError):
    code = 400

    def __init__(self, export_arn: str) -> None:
        super().__init__(_PREFIX + "ExportNotFoundException", f"Export not found: {export_arn}")
