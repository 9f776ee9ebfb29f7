"""Everything the dashboard shows, read in one go (called from a UI worker thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_tables
from lee_console.core.errors import LeeError
from lee_console.core.pitr import TableSummary


@dataclass(frozen=True)
class Identity:
    account: str
    arn: str


@dataclass(frozen=True)
class DashboardData:
    tables: tuple[TableSummary, ...]
    loaded_at: datetime

    @property
    def restoring(self) -> tuple[TableSummary, ...]:
        return tuple(t for t in self.tables if t.restoring)


def load_identity(aws: Aws) -> Identity:
    try:
        return Identity(account=aws.account(), arn=aws.identity())
    except LeeError:
        return Identity(account="?", arn="unknown caller (sts get-caller-identity failed)")


def load_dashboard(aws: Aws, tables: tuple[str, ...], now: datetime) -> DashboardData:
    return DashboardData(tables=tuple(describe_tables(aws, tables or None)), loaded_at=now)
