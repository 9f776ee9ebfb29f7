"""`lee-console verify`: exit 0 passed, 1 failed, 2 error; --json is one document; a rules file
with an error gets one line naming its line; the result is journaled."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run, boto_client, make_table, run_subprocess

from lee_console.store.journal_file import read_journal

GOOD_LIGHT = {"power": {"S": "on"}, "brightness": {"N": "40"}}
BAD_LIGHT = {"power": {"S": "unknown"}, "brightness": {"N": "250"}}


def device(device_id: str, state: dict[str, Any], updated_at: str = "2025-02-14T11:00:00Z") -> Any:
    return {
        "device_id": {"S": device_id},
        "user_id": {"S": "usr-0001"},
        "device_type": {"S": "light"},
        "firmware": {"S": "2.4.1"},
        "updated_at": {"S": updated_at},
        "version": {"N": "3"},
        "state": {"M": state},
    }


def create_devices_table(client: Any, name: str, gsi: bool = True) -> None:
    extra: dict[str, Any] = {}
    attributes = [{"AttributeName": "device_id", "AttributeType": "S"}]
    if gsi:
        attributes.append({"AttributeName": "user_id", "AttributeType": "S"})
        extra["GlobalSecondaryIndexes"] = [
            {
                "IndexName": "user_id-index",
                "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ]
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "device_id", "KeyType": "HASH"}],
        AttributeDefinitions=attributes,
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )


class Tables:
    """lee-devices-cli-*-restored (clean) and lee-devices-cli-*-live (two damaged items, one
    legitimate change, one added, one removed), and a restored one without the GSI."""

    def __init__(self, url: str) -> None:
        client = boto_client(url)
        base = f"lee-devices-cli-{uuid.uuid4().hex[:6]}"
        self.restored, self.live, self.no_gsi = f"{base}-restored", f"{base}-live", f"{base}-nogsi"
        create_devices_table(client, self.restored)
        create_devices_table(client, self.live)
        create_devices_table(client, self.no_gsi, gsi=False)
        for n in range(1, 11):
            client.put_item(TableName=self.restored, Item=device(f"dev-{n:02d}", GOOD_LIGHT))
            client.put_item(TableName=self.no_gsi, Item=device(f"dev-{n:02d}", GOOD_LIGHT))
        for n in range(2, 12):  # dev-01 removed, dev-11 added
            client.put_item(TableName=self.live, Item=device(f"dev-{n:02d}", GOOD_LIGHT))
        for damaged in ("dev-03", "dev-07"):
            client.put_item(TableName=self.live, Item=device(damaged, BAD_LIGHT, "1739531000"))
        legit = {"power": {"S": "off"}, "brightness": {"N": "40"}}
        client.put_item(TableName=self.live, Item=device("dev-05", legit, "2025-02-14T12:00:00Z"))


@pytest.fixture(scope="module")
def tables(lab_url: str) -> Iterator[Tables]:
    yield Tables(lab_url)


def test_clean_table_passes(cli: Callable[..., Run], lab_url: str, tables: Tables) -> None:
    run = cli("verify", tables.restored, url=lab_url)
    assert run.code == 0, run.err
    assert f"PASSED: {tables.restored} has no rule violations." in run.err_lines
    assert "rules lee-devices from shipped rules lee-devices.toml, 19 rules" in run.out
    assert f"Rules on {tables.restored}: no violations in 10 items" in run.out


def test_damaged_table_fails_with_counts_per_rule_and_sample_keys(
    cli: Callable[..., Run], lab_url: str, tables: Tables
) -> None:
    run = cli("verify", tables.live, url=lab_url)
    assert run.code == 1, run.err
    assert run.err_lines[-2] == f"FAILED: {tables.live}: 2 items break the rules."
    rows = {line.split("  ")[0]: line for line in run.out.splitlines()}
    assert "dev-03, dev-07" in rows["state.power (device_type=light|switch|plug)"]
    assert "dev-03, dev-07" in rows["state.brightness (device_type=light)"]
    assert "dev-03, dev-07" in rows["updated_at ISO-8601"]


def test_against_json_is_one_document(
    cli: Callable[..., Run], lab_url: str, tables: Tables, tmp_path: Path
) -> None:
    alone = cli("verify", tables.restored, "--against", tables.live, "--json", url=lab_url)
    assert alone.err_lines[-1].startswith("Not journaled: no incident is open.")
    assert not (tmp_path / "lee-state" / "journals").exists()
    incident = cli("incident", "declare", "--table", tables.live).out.strip()
    run = cli("verify", tables.restored, "--against", tables.live, "--json", url=lab_url)
    assert run.code == 0, run.err
    assert run.err_lines[-1].startswith(f"Incident {incident} (open, table {tables.live}")
    document = json.loads(run.out)
    assert document["passed"] is True
    assert document["rule_set"] == "lee-devices"
    assert document["counts"] == {tables.restored: 10, tables.live: 10}
    assert document["schema"] == {"equal": True, "differences": []}
    assert document["against_check"]["violating_items"] == 2
    diff = document["diff"]
    assert (diff["added"], diff["removed"], diff["changed"], diff["unchanged"]) == (1, 1, 3, 6)
    assert diff["damaged"] == 3  # dev-03, dev-07 broken in live; dev-01 gone from it
    assert diff["samples"]["changed"] == [
        {"device_id": "dev-03"}, {"device_id": "dev-05"}, {"device_id": "dev-07"}
    ]  # fmt: skip
    assert diff["samples"]["added"] == [{"device_id": "dev-11"}]
    journal = next((tmp_path / "lee-state" / "journals").glob("*.jsonl"))
    verified = [e for e in read_journal(journal) if e.kind == "verified"]
    assert [e.data["table"] for e in verified] == [tables.restored]
    assert verified[0].data["diff"]["changed"] == 3 and verified[0].data["passed"] is True


def test_against_human_output(cli: Callable[..., Run], lab_url: str, tables: Tables) -> None:
    run = cli("verify", tables.restored, "--against", tables.live, url=lab_url)
    assert run.code == 0, run.err
    assert "Schema (key, GSIs, LSIs)\n  equal" in run.out
    assert f"Diff {tables.restored} -> {tables.live}: 1 added, 1 removed, 3 changed" in run.out
    assert "  changed: dev-03, dev-05, dev-07" in run.out
    assert """--item '{"device_id": "dev-03"}'""" in run.out


def test_schema_difference_fails(cli: Callable[..., Run], lab_url: str, tables: Tables) -> None:
    run = cli("verify", tables.no_gsi, "--against", tables.restored, "--json", url=lab_url)
    assert run.code == 1
    document = json.loads(run.out)
    assert document["schema"]["differences"] == [
        f"GSI user_id-index is missing from {tables.no_gsi}"
    ]
    assert document["checked"]["violating_items"] == 0 and document["diff"]["changed"] == 0
    assert run.err_lines[-2] == f"FAILED: {tables.no_gsi}: 1 schema differences."


def test_item_view_old_to_new(cli: Callable[..., Run], lab_url: str, tables: Tables) -> None:
    key = '{"device_id": "dev-03"}'
    run = cli("verify", tables.restored, "--against", tables.live, "--item", key, url=lab_url)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert (
        lines[0]
        == f'item {{"device_id": "dev-03"}}: {tables.restored} (old) -> {tables.live} (new)'
    )
    assert "  state.brightness: 40 -> 250" in lines
    assert '  state.power: "on" -> "unknown"' in lines
    assert '  updated_at: "2025-02-14T11:00:00Z" -> "1739531000"' in lines
    as_json = cli(
        "verify", tables.restored, "--against", tables.live, "--item", '{"device_id": "dev-11"}',
        "--json", url=lab_url,
    )  # fmt: skip
    document = json.loads(as_json.out)
    assert document["in_table"] is False and document["in_against"] is True
    assert {c["attribute"] for c in document["changes"]} >= {"device_id", "state"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--item", '{"device_id": "dev-03"}'], "--item shows an item old -> new: add --against"),
        (["--against", "X", "--item", "dev-03"], "--item is not JSON"),
        (["--against", "X", "--item", "[1]"], "--item needs a JSON object of the item's key"),
        (["--segments", "0"], "--segments takes 1 to 64, got 0."),
    ],
)
def test_argument_errors_exit_2(
    cli: Callable[..., Run], lab_url: str, tables: Tables, args: list[str], message: str
) -> None:
    run = cli(
        "verify", tables.restored, *[tables.live if a == "X" else a for a in args], url=lab_url
    )
    assert run.code == 2 and run.out == ""
    assert len(run.err_lines) == 1 and run.err_lines[0].startswith(f"lee-console: {message}")


def test_missing_table_is_one_line(cli: Callable[..., Run], lab_url: str) -> None:
    run = cli("verify", "lee-devices-nope", url=lab_url)
    assert run.code == 2
    assert run.err_lines[-1].startswith("lee-console: Table lee-devices-nope does not exist")
    assert "Traceback" not in run.err


BAD_RULES = """\
# my rules
[lee-devices]
description = "x"

[[lee-devices.rule]]
attribute = "device_id"
required = true

[[lee-devices.rule]]
attribute = "state.brightness"
required = true
range = [0, "high"]
"""


def test_rules_file_error_names_its_line(
    cli: Callable[..., Run], lab_url: str, tables: Tables, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(BAD_RULES)
    run = cli("verify", tables.restored, "--rules", str(rules), url=lab_url)
    assert run.code == 2 and run.out == ""
    assert run.err_lines == [f'lee-console: {rules}:12: range needs two numbers, got "high"']


def test_rules_file_syntax_error_in_a_subprocess_no_traceback(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[t.rule]]\nattribute = "a"\nrequired = yes\n')
    run = run_subprocess(
        "verify", "my-table", "--rules", str(rules), "--endpoint-url", "http://127.0.0.1:9"
    )
    assert run.code == 2
    assert run.err_lines == [
        f"lee-console: {rules}:3: Invalid value (column 12); the file is not valid TOML"
    ]


def test_rules_file_overrides_the_shipped_rules(
    cli: Callable[..., Run], lab_url: str, tables: Tables, tmp_path: Path
) -> None:
    rules = tmp_path / "strict.toml"
    rules.write_text('[[lee-devices.rule]]\nattribute = "state.power"\nallowed = ["off"]\n')
    run = cli("verify", tables.live, "--rules", str(rules), "--json", url=lab_url)
    assert run.code == 1
    document = json.loads(run.out)
    assert document["rule_set"] == "lee-devices" and document["rules_source"] == str(rules)
    (violation,) = document["checked"]["violations"]
    assert violation["rule"] == "state.power" and violation["items"] == 9
    assert violation["sample_keys"][0] == {"device_id": "dev-02"}


def test_a_rules_file_without_a_section_for_the_table_is_an_error(
    cli: Callable[..., Run], lab_url: str, tables: Tables, tmp_path: Path
) -> None:
    rules = tmp_path / "other.toml"
    rules.write_text('[[lee-users.rule]]\nattribute = "email"\nrequired = true\n')
    run = cli("verify", tables.live, "--rules", str(rules), url=lab_url)
    assert run.code == 2
    assert run.err_lines == [
        f"lee-console: The rules file {rules} has no rules for {tables.live} (it has lee-users); "
        f"add [[{tables.live}.rule]] tables."
    ]


def test_table_without_rules_gets_counts_and_diff_only(
    cli: Callable[..., Run], lab: Any, lab_url: str
) -> None:
    table = make_table(lab, pitr=False)
    lab.put_item(TableName=table, Item={"pk": {"S": "a"}, "n": {"N": "1"}})
    run = cli("verify", table, "--json", url=lab_url)
    assert run.code == 0, run.err
    document = json.loads(run.out)
    assert document["rule_set"] is None
    assert document["rules_source"] == f"no rules for {table}"
    assert document["counts"] == {table: 1}
    assert f"no rules for {table}: counts, schema and diff only" in run.err


def test_a_freely_named_restore_is_judged_by_the_rules_of_the_table_it_is_compared_with(
    cli: Callable[..., Run], lab_url: str, tables: Tables
) -> None:
    """`restore lee-devices --target late-copy`: no rule set is named late-copy, but the items
    are lee-devices' and so are the rules that judge them. Without --against nothing says which
    rules apply: the verdict says no item was checked instead of a bare PASSED."""
    client = boto_client(lab_url)
    late_copy = f"late-copy-{uuid.uuid4().hex[:6]}"
    create_devices_table(client, late_copy)
    client.put_item(TableName=late_copy, Item=device("dev-03", BAD_LIGHT, "1739531000"))
    against = cli("verify", late_copy, "--against", tables.live, url=lab_url)
    assert against.code == 1, against.err
    assert against.err_lines[-2] == f"FAILED: {late_copy}: 1 items break the rules."
    assert "rules lee-devices from shipped rules lee-devices.toml, 19 rules" in against.out
    alone = cli("verify", late_copy, url=lab_url)
    assert alone.code == 0, alone.err
    assert alone.err_lines[-2] == (
        f"PASSED WITHOUT RULES: no rule set applies to {late_copy} (no rules for {late_copy}), "
        "so no item was checked; pass --rules FILE, or --against the table it was restored from."
    )


def test_a_table_against_itself_is_refused(
    cli: Callable[..., Run], lab_url: str, tables: Tables
) -> None:
    run = cli("verify", tables.live, "--against", tables.live, url=lab_url)
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        f"lee-console: --against names {tables.live} itself: a table always matches itself; "
        "give the live table the restored one is compared with."
    ]
