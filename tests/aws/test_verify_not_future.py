"""verify judges not_future against the scan's end, not its start: an item the application
wrote while the scan ran is not "in the future" (a drill's live writes made verify fail so);
one dated a day ahead still is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from lee_console.aws.session import Aws
from lee_console.aws.verify import verify_table
from lee_console.core.rules_parse import parse_rules

RULES = parse_rules('[[t.rule]]\nattribute = "at"\nnot_future = true\n', "rules.toml")["t"]


def test_a_write_during_the_scan_is_not_in_the_future(
    make_aws: Callable[..., Aws], new_table: Callable[..., str], raw: Any
) -> None:
    started = datetime.now(UTC)
    table = new_table()
    for key, at in (
        ("before", started - timedelta(minutes=1)),
        ("during", started + timedelta(seconds=30)),  # written while the scan ran
        ("tomorrow", started + timedelta(days=1)),
    ):
        stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        raw.put_item(TableName=table, Item={"pk": {"S": key}, "at": {"S": stamp}})
    report = verify_table(make_aws(), table, rules=RULES, now=started, record=False)
    data = report.to_json()["checked"]
    assert data["violating_items"] == 1, data
    assert [v["sample_keys"] for v in data["violations"]] == [[{"pk": "tomorrow"}]], data
