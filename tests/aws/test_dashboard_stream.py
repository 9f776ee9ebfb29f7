"""The dashboard's load reports each table as soon as it is described, while the pacing of
DescribeContinuousBackups (10 a second, aws/ratelimit.py) stays as it was."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from many_tables import create_tables
from sandbox_process import running_sandbox

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.pitr import TableSummary

EXTRA_TABLES = 50  # with scenario none's three: 53, as in the issue


def test_each_table_is_reported_as_it_is_described_at_100_ms_latency() -> None:
    with running_sandbox("none", items=10, latency_ms=100) as (url, _):
        create_tables(url, [f"load-{i:02d}" for i in range(EXTRA_TABLES)])
        aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1"), None)
        arrivals: list[tuple[float, str, int]] = []
        started = time.monotonic()

        def described(table: TableSummary, total: int) -> None:
            arrivals.append((time.monotonic() - started, table.name, total))

        data = AwsConsoleSource(aws).dashboard((), datetime.now(UTC), on_table=described)
        finished = time.monotonic() - started
    count = EXTRA_TABLES + 3
    assert len(data.tables) == len(arrivals) == count
    assert {total for _, _, total in arrivals} == {count}
    assert sorted(name for _, name, _ in arrivals) == [t.name for t in data.tables]
    first, last = arrivals[0][0], arrivals[-1][0]
    # 53 DescribeContinuousBackups at 10 a second take 5.2 s at least: the pacing is kept...
    assert finished >= (count - 1) / 10
    # ...and the first table is told of within the first second, long before the last
    assert first < 1.5 and first < last / 3, (first, last)
    # they arrive spread over the load, not in one burst at its end
    assert arrivals[count // 2][0] < last * 0.75
