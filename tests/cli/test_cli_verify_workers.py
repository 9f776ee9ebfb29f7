"""`lee-console verify --workers N`: the same report as scanning in one process (the scan worker
processes are real ones); an N out of range is one line and exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cli_helpers import Run, boto_client
from test_cli_verify import BAD_LIGHT, GOOD_LIGHT, create_devices_table, device


def _without_clock(document: dict[str, Any]) -> dict[str, Any]:
    """Less the time and each rule's example (the first violation seen: order-dependent)."""
    document.pop("verified_at")
    for check in (document["checked"], document["against_check"]):
        for violation in check["violations"]:
            violation.pop("example")
    return document


def test_workers_give_the_same_report(cli: Callable[..., Run], lab_url: str) -> None:
    client = boto_client(lab_url)
    restored, live = "lee-devices-workers-restored", "lee-devices-workers-live"
    for name in (restored, live):
        create_devices_table(client, name, gsi=False)
    for n in range(40):
        client.put_item(TableName=restored, Item=device(f"dev-{n:02d}", GOOD_LIGHT))
        state = BAD_LIGHT if n % 5 == 0 else GOOD_LIGHT
        client.put_item(TableName=live, Item=device(f"dev-{n:02d}", state))
    args = ("verify", restored, "--against", live, "--json")
    alone = cli(*args, url=lab_url)
    spread = cli(*args, "--workers", "3", url=lab_url)
    assert alone.code == spread.code == 0, spread.err
    assert _without_clock(json.loads(spread.out)) == _without_clock(json.loads(alone.out))
    assert json.loads(spread.out)["diff"]["damaged"] == 8


def test_workers_out_of_range(cli: Callable[..., Run], lab_url: str) -> None:
    run = cli("verify", "lee-devices", "--workers", "9", url=lab_url)
    assert run.code == 2
    assert run.err_lines == ["lee-console: --workers takes 0 to 8, got 9."]
