"""What the console's screens show, as plain data: filled by aws/ loaders (or by sample data in
the snapshot tests) and rendered by ui/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lee_console.core.pitr import TableSummary
from lee_console.core.timeparse import format_utc

if TYPE_CHECKING:  # annotations only: status imports this module and needs none of them
    from lee_console.core.estimate import PastRestore
    from lee_console.core.inflight import InFlightRestore
    from lee_console.core.timeline import Marker, Sample

DELETED_SUFFIX = "$DeletedTableBackup"

OnTable = Callable[[TableSummary, int], None]
"""Told of each table as soon as it is described, and of how many tables the load describes."""


@dataclass(frozen=True)
class Identity:
    account: str
    arn: str


@dataclass(frozen=True)
class BackupSummary:
    arn: str
    name: str
    table: str
    created: datetime
    status: str
    backup_type: str  # USER | SYSTEM | AWS_BACKUP
    size_bytes: int

    @property
    def of_deleted_table(self) -> bool:
        return self.backup_type == "SYSTEM" and self.name.endswith(DELETED_SUFFIX)

    def to_json(self) -> dict[str, Any]:
        return {
            "arn": self.arn,
            "name": self.name,
            "table": self.table,
            "created": format_utc(self.created),
            "status": self.status,
            "type": self.backup_type,
            "size_bytes": self.size_bytes,
        }


@dataclass(frozen=True)
class DashboardData:
    tables: tuple[TableSummary, ...]
    loaded_at: datetime
    deleted: tuple[BackupSummary, ...] = ()  # SYSTEM backups of tables that no longer exist
    in_flight: tuple[InFlightRestore, ...] = ()
    past_restores: tuple[PastRestore, ...] = field(default=(), repr=False)

    @property
    def restoring(self) -> tuple[TableSummary, ...]:
        return tuple(t for t in self.tables if t.restoring)


@dataclass(frozen=True)
class TimelineData:
    table: TableSummary
    markers: tuple[Marker, ...]
    activity: tuple[Sample, ...]
    loaded_at: datetime
    warnings: tuple[str, ...] = ()  # what could not be read (markers are a help, not a must)
