"""`lee-console repair` and `lee-console find-good` headless: counts first, dry run, typed
confirmation, --json, --read-only, exit codes, and no probe table left behind."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run, scan_all

RULES = """
[items]
[[items.rule]]
attribute = "level"
required = true
range = [0, 100]
"""


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    return path


def make(lab: Any, name: str, items: dict[str, int]) -> str:
    lab.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for pk, level in items.items():
        lab.put_item(TableName=name, Item={"pk": {"S": pk}, "level": {"N": str(level)}})
    return name


def pair(lab: Any) -> tuple[str, str]:
    """A live table with two damaged items (b, c), one legitimate change (d), one added (e),
    and its restored copy."""
    stem = f"items-{uuid.uuid4().hex[:8]}"
    restored = make(lab, f"{stem}-restored", {"a": 1, "b": 2, "c": 3, "d": 4})
    live = make(lab, stem, {"a": 1, "b": 999, "c": -5, "d": 40, "e": 5})
    return live, restored


def levels(lab: Any, table: str) -> dict[str, str]:
    return {pk: item["level"]["N"] for pk, item in scan_all(lab, table).items()}


def test_repair_dry_run_counts_and_changes_nothing(
    cli: Callable[..., Run], lab: Any, lab_url: str, rules_file: Path
) -> None:
    live, restored = pair(lab)
    run = cli("repair", live, "--from", restored, "--rules", str(rules_file), "--dry-run",
              url=lab_url)  # fmt: skip
    assert run.code == 0, run.err
    assert "damaged" in run.out and "would repair now" in run.out
    assert "Dry run: 2 damaged, 2 would be repaired; nothing changed." in run.err
    assert levels(lab, live)["b"] == "999"
    as_json = cli("repair", live, "--from", restored, "--rules", str(rules_file), "--dry-run",
                  "--json", url=lab_url)  # fmt: skip
    data = json.loads(as_json.out)
    assert (data["damaged"], data["would_repair"], data["legit_writes_after"]) == (2, 2, 2)


def test_repair_needs_the_live_name_typed(
    cli: Callable[..., Run], lab: Any, lab_url: str, rules_file: Path
) -> None:
    live, restored = pair(lab)
    base = ("repair", live, "--from", restored, "--rules", str(rules_file))
    missing = cli(*base, url=lab_url)
    assert missing.code == 2 and f"--confirm {live}" in missing.err_lines[-1]
    wrong = cli(*base, "--confirm", restored, url=lab_url)
    assert wrong.code == 2 and "is not" in wrong.err_lines[-1]
    assert levels(lab, live)["b"] == "999"
    done = cli(*base, "--confirm", live, "--json", url=lab_url)
    assert done.code == 0, done.err
    assert done.out, (done.out, done.err)
    result = json.loads(done.out)
    assert (result["repaired"], result["skipped"], result["left"]) == (2, 0, 0)
    assert levels(lab, live) == {"a": "1", "b": "2", "c": "3", "d": "40", "e": "5"}
    assert any(line.startswith("[batch 1/1]") for line in done.err_lines)
    again = cli(*base, "--confirm", live, url=lab_url)
    assert again.code == 0 and "Nothing to repair" in again.err


def test_repair_read_only_is_one_line(
    cli: Callable[..., Run], lab: Any, lab_url: str, rules_file: Path
) -> None:
    live, restored = pair(lab)
    run = cli("repair", live, "--from", restored, "--rules", str(rules_file), "--confirm", live,
              "--read-only", url=lab_url)  # fmt: skip
    assert run.code == 2 and len(run.err_lines) == 1 and "--read-only" in run.err
    assert levels(lab, live)["b"] == "999"
    dry = cli("repair", live, "--from", restored, "--rules", str(rules_file), "--dry-run",
              "--read-only", url=lab_url)  # fmt: skip
    assert dry.code == 0


def probe_tables(lab: Any) -> list[str]:
    return [n for n in lab.list_tables()["TableNames"] if "-probe-" in n]


def test_find_good_headless(
    cli: Callable[..., Run], lab: Any, lab_url: str, rules_file: Path
) -> None:
    table = make(lab, f"items-{uuid.uuid4().hex[:8]}", {})
    lab.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    lab.put_item(TableName=table, Item={"pk": {"S": "a"}, "level": {"N": "1"}})
    time.sleep(2.2)
    lab.put_item(TableName=table, Item={"pk": {"S": "a"}, "level": {"N": "500"}})  # damage
    # The search never probes the window's last second: keep two whole bad seconds in it, or
    # a damage in (latest - 2 s, latest - 1 s] leaves every probe good and first_bad None.
    time.sleep(2.5)
    base = ("find-good", table, "--via", "restore", "--rules", str(rules_file), "--precision", "1s")
    unconfirmed = cli(*base, url=lab_url)
    assert unconfirmed.code == 2 and "--yes" in unconfirmed.err_lines[-1]
    assert any("$0.15/GB" in line for line in unconfirmed.err_lines)
    too_many = cli(*base, "--parallel", "51", "--yes", url=lab_url)
    assert too_many.code == 2 and "50 concurrent restores" in too_many.err
    read_only = cli(*base, "--yes", "--read-only", url=lab_url)
    assert read_only.code == 2 and len(read_only.err_lines) == 1
    run = cli(*base, "--yes", "--json", "--parallel", "2", "--poll-seconds", "0.1", url=lab_url)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["last_good"] and result["first_bad"], run.err
    assert result["rounds"] <= result["max_rounds"]
    assert any("probe" in line and "GOOD" in line for line in run.err_lines)
    assert probe_tables(lab) == []
