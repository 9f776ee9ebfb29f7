"""Sandbox scale figures, in-process, each against a named baseline measured in the same run.

    python bench/bench_sandbox_scale.py [--items 100000] [--stock-items 20000]

- seed: the bad-deployment scenario with --items devices (CPU seconds; budget 5 s);
- restore: RestoreTableToPointInTime of the devices table, 1 min before the damage (wall s);
- full scan: Limit=1000 pages over the whole table, the sandbox's ordered index vs stock moto's
  Table.scan (which re-walks the table from its first item every page: quadratic), on the same
  --stock-items items; parallel segments likewise;
- put: one write through the backend, recorded (sandbox) vs stock moto's put_item.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table

from lee_console.sandbox import SandboxOptions
from lee_console.sandbox.install import install_extension
from lee_console.sandbox.scenarios import seed_scenario


def _timed(fn: Callable[[], Any], cpu: bool = False) -> tuple[float, Any]:
    clock = time.process_time if cpu else time.perf_counter
    started = clock()
    result = fn()
    return clock() - started, result


def _full_scan(table: Any, segments: tuple[Any, Any] = (None, None)) -> int:
    count, start = 0, None
    while True:
        items, _, start = table.scan({}, 1000, start, segments=segments)
        count += len(items)
        if not start:
            return count


def _schema() -> dict[str, Any]:
    return {
        "schema": [{"AttributeName": "device_id", "KeyType": "HASH"}],
        "attr": [{"AttributeName": "device_id", "AttributeType": "S"}],
    }


def _item(i: int) -> dict[str, Any]:
    return {
        "device_id": {"S": f"dev-{i:06d}"},
        "state": {"M": {"power": {"S": "on"}, "brightness": {"N": str(i % 100)}}},
        "version": {"N": "1"},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--stock-items", type=int, default=20_000)
    args = parser.parse_args()

    backend = install_extension(restore_lag_seconds=300, restore_seconds=15)
    options = SandboxOptions(scenario="bad-deployment", items=args.items)
    seed_s, truth = _timed(lambda: seed_scenario(backend, options), cpu=True)
    devices = backend.tables["lee-devices"]
    print(
        f"seed bad-deployment, {args.items} devices, {len(devices.history)} history records:"
        f" {seed_s:.2f} s CPU (budget 5 s)"
    )

    at = truth.damage_start.timestamp() - 60
    restore_s, _ = _timed(lambda: backend.restore_table_to_point_in_time("r1", "lee-devices", at))
    print(f"restore {args.items} items to 1 min before the damage: {restore_s:.2f} s")

    scan_s, count = _timed(lambda: _full_scan(backend.tables["r1"]))
    print(f"full paginated scan (Limit 1000) of {count} restored items: {scan_s:.2f} s")

    # Same data, smaller table, sandbox vs stock moto.
    n = args.stock_items
    stock = Table("stock", account_id="123456789012", region="us-east-1", **_schema())
    stock_put_s, _ = _timed(lambda: [stock.put_item(_item(i)) for i in range(n)])
    sandbox_table = backend.create_table(
        "sandbox-bench",
        throughput=None,
        global_indexes=[],
        indexes=[],
        streams=None,
        billing_mode="PAY_PER_REQUEST",
        sse_specification=None,
        tags=[],
        deletion_protection_enabled=False,
        warm_throughput=None,
        **_schema(),
    )
    put_s, _ = _timed(lambda: [backend.put_item("sandbox-bench", _item(i)) for i in range(n)])
    print(
        f"put, {n} items: sandbox (recorded) {put_s / n * 1e6:.1f} us/write, stock moto "
        f"Table.put_item {stock_put_s / n * 1e6:.1f} us/write: ratio {put_s / stock_put_s:.2f}x"
    )
    sandbox_scan_s, got = _timed(lambda: _full_scan(sandbox_table))
    assert got == n
    stock_scan_s, got = _timed(lambda: _full_scan(stock))
    assert got == n
    print(
        f"full scan of {n} items, Limit 1000: sandbox {sandbox_scan_s:.2f} s, stock moto "
        f"{stock_scan_s:.2f} s: stock/sandbox {stock_scan_s / sandbox_scan_s:.1f}x"
    )
    seg_s, _ = _timed(lambda: sum(_full_scan(sandbox_table, (s, 8)) for s in range(8)))
    stock_seg_s, _ = _timed(lambda: sum(_full_scan(stock, (s, 8)) for s in range(8)))
    print(
        f"8 segments over {n} items: sandbox {seg_s:.2f} s, stock moto {stock_seg_s:.2f} s: "
        f"stock/sandbox {stock_seg_s / seg_s:.1f}x"
    )
    assert isinstance(backend, DynamoDBBackend)


if __name__ == "__main__":
    main()
