"""The exports of one backend: start one from the PITR history, describe, list."""

from __future__ import annotations

import threading
from typing import Any

from moto.dynamodb.exceptions import (
    MockValidationException,
    PointInTimeRecoveryUnavailable,
    TableNotFoundException,
)

from lee_console.sandbox import clock, gcpause
from lee_console.sandbox.config import CONFIG
from lee_console.sandbox.exports import content, request
from lee_console.sandbox.exports.errors import ExportConflict, ExportNotFound
from lee_console.sandbox.exports.model import SandboxExport

_REGISTRY_ATTR = "lee_exports"


class ExportRegistry:
    """Exports in the order they started, and the ClientTokens seen (idempotency)."""

    def __init__(self) -> None:
        self.exports: dict[str, SandboxExport] = {}
        self.by_token: dict[str, SandboxExport] = {}


def registry(backend: Any) -> ExportRegistry:
    found: ExportRegistry | None = backend.__dict__.get(_REGISTRY_ATTR)
    if found is None:
        found = backend.__dict__.setdefault(_REGISTRY_ATTR, ExportRegistry())
    assert found is not None
    return found


def _table_by_arn(backend: Any, table_arn: str) -> Any:
    for table in list(backend.tables.values()):
        if table.table_arn == table_arn:
            return table
    raise TableNotFoundException(table_arn)


def start_export(backend: Any, body: dict[str, Any]) -> tuple[SandboxExport, bool]:
    """ExportTableToPointInTime: check the request, compute the content from history now
    (under the backend's lock, so it is exactly the table as of the export time), and let the
    export complete after ``--export-seconds``. Returns the export and whether it is new
    (False: the same request again with its ClientToken)."""
    wanted = request.parse(body)
    exports = registry(backend)
    with backend.lock:
        earlier = _earlier(exports, wanted)
        if earlier is not None:
            return earlier, False
        table = _table_by_arn(backend, wanted.table_arn)
        if not table.pitr.enabled:
            raise PointInTimeRecoveryUnavailable(table.name)
        now = clock.now()
        times = request.resolve_times(wanted, table.pitr, now)
        # The history's records as of the times, taken under the lock; the lines are built
        # outside it (images are immutable strings), so writes wait only for the snapshot.
        if times.export_time is not None:
            state = table.history.state_at(times.export_time)
        else:
            assert times.from_time is not None and times.to_time is not None
            changes = table.history.changes_between(times.from_time, times.to_time)
    with gcpause.paused():
        if times.export_time is not None:
            lines = content.full_lines(state)
        else:
            lines = content.incremental_lines(
                changes, table.hash_key_attr, table.range_key_attr, wanted.view_type
            )
    export = SandboxExport(
        wanted, times, table, backend.account_id, lines, now, CONFIG.export_seconds
    )
    with backend.lock:
        earlier = _earlier(exports, wanted)  # the same ClientToken sent twice at once
        if earlier is not None:
            return earlier, False
        exports.exports[export.arn] = export
        if wanted.client_token is not None:
            exports.by_token[wanted.client_token] = export
    timer = threading.Timer(max(0.0, export.ready_at - clock.now()), export.finish)
    timer.daemon = True
    timer.start()
    return export, True


def _earlier(exports: ExportRegistry, wanted: request.ExportRequest) -> SandboxExport | None:
    """The export started with this request's ClientToken, if the parameters are the same
    (ExportConflictException if they are not)."""
    if wanted.client_token is None or wanted.client_token not in exports.by_token:
        return None
    earlier = exports.by_token[wanted.client_token]
    if not earlier.request.same_as(wanted):
        raise ExportConflict(wanted.client_token)
    return earlier


def describe_export(backend: Any, export_arn: str | None) -> SandboxExport:
    if not export_arn:
        raise MockValidationException("1 validation error detected: ExportArn is required")
    export = registry(backend).exports.get(export_arn)
    if export is None:
        raise ExportNotFound(export_arn)
    return export


def list_exports(
    backend: Any, table_arn: str | None, max_results: int | None, next_token: str | None
) -> tuple[list[SandboxExport], str | None]:
    """The exports (of ``table_arn`` if given), oldest first, a page at a time."""
    chosen = [e for e in registry(backend).exports.values() if table_arn in (None, "", e.table_arn)]
    start = 0
    if next_token:
        arns = [e.arn for e in chosen]
        if next_token not in arns:
            raise MockValidationException(f"Invalid NextToken: {next_token}")
        start = arns.index(next_token) + 1
    limit = max_results if max_results and max_results > 0 else 25
    page = chosen[start : start + limit]
    more = start + limit < len(chosen)
    return page, (page[-1].arn if more and page else None)
