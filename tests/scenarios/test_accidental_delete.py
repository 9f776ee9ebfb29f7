"""Accidental delete, headless: lee-devices is gone (deletion protection was off), PITR was on,
so AWS kept the SYSTEM backup `lee-devices$DeletedTableBackup`. The operator sees the table
gone, restores it under its own name from that backup, re-applies the settings the restore
dropped (the source being the SYSTEM backup, as the table is gone), and verifies it; the
restored items are compared with the scenario's truth (every item the table held when it was
deleted) and with a second copy of the same backup."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scenario_helpers import (
    DEVICES,
    Cli,
    Sandbox,
    client,
    one_line_error,
    scan_devices,
    table_names,
)

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.runbook import Runbook, StepId, StepState

SYSTEM_BACKUP = f"{DEVICES}$DeletedTableBackup"


def test_restore_the_deleted_table_under_its_own_name(
    accidental_delete: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = accidental_delete
    url = sandbox.url
    cli = Cli(capsys, url, "accidental-delete-headless")
    assert sandbox.table == DEVICES and sandbox.damaged and not sandbox.legit_after

    # 1. The table is gone: status no longer lists it as a table; named, it is DELETED (an
    # alert, exit 1) with the command that restores it from its SYSTEM backup.
    status = cli.ok("status", "--json", "--min-coverage-days", "30")
    listed = {table["name"] for table in status.json["tables"]}
    assert DEVICES not in listed and {"lee-users", "lee-sessions"} <= listed
    gone = cli("status", "--tables", DEVICES)
    assert gone.code == 1 and f"deleted: {DEVICES}" in gone.err
    assert f"DELETED {DEVICES}" in gone.out and "--deleted --target lee-devices" in gone.out
    # The dashboard's data (what the TUI shows) has it as a deleted table with its backup.
    source = AwsConsoleSource(Aws(ConnectionSettings(endpoint_url=url, region="us-east-1")))
    dashboard = source.dashboard((), datetime.now(UTC))
    assert DEVICES not in {table.name for table in dashboard.tables}
    assert [(b.table, b.name, b.backup_type) for b in dashboard.deleted] == [
        (DEVICES, SYSTEM_BACKUP, "SYSTEM")
    ]

    # 2. Its SYSTEM backup, taken when it was deleted.
    backups = cli.ok("backup", "list", DEVICES, "--json").json
    [system] = [b for b in backups if b["type"] == "SYSTEM"]
    assert system["name"] == SYSTEM_BACKUP and system["table"] == DEVICES
    assert system["status"] == "AVAILABLE"
    assert system["created"] == sandbox.damage_start.strftime("%Y-%m-%dT%H:%M:%SZ")
    listing = cli.ok("backup", "list", DEVICES).out
    assert SYSTEM_BACKUP in listing and "SYSTEM" in listing

    # 3. Settings cannot come from the source before the restore: it no longer exists, and
    # lee-users was not restored from a backup of it.
    before = one_line_error(cli("settings", "diff", DEVICES, "lee-users"))
    assert f"Table {DEVICES} does not exist" in before and "--from-backup" in before

    # 4. Restore under its original name, from the SYSTEM backup.
    restored = cli.ok(
        "restore", DEVICES, "--deleted", "--target", DEVICES, "--poll-seconds", "0.1"
    ).json
    assert restored["source"] == DEVICES and restored["target"] == DEVICES
    assert restored["status"] == "ACTIVE"
    assert restored["item_count"] == len(sandbox.damaged)
    assert restored["restore_point"] == system["created"]
    assert DEVICES in table_names(url)

    # 5. Settings: the restore dropped PITR, the stream and deletion protection. The source
    # table is gone, so its settings come from the SYSTEM backup the table was restored from.
    after = {t["name"]: t for t in cli("status", "--json").json["tables"]}[DEVICES]
    assert after["pitr_status"] == "DISABLED" and "PITR disabled" in after["alerts"]
    diff = cli("settings", "diff", DEVICES, DEVICES, "--json")
    assert diff.code == 1, diff.err
    assert f"deleted table's SYSTEM backup {SYSTEM_BACKUP}" in diff.err
    drifts = {d["setting"]: d for d in diff.json}
    pitr, ttl, tags = drifts["pitr"], drifts["ttl"], drifts["tags"]
    assert (pitr["source"], pitr["restored"]) == ("on, 35 days (period assumed)", "off")
    assert not pitr["in_sync"] and pitr["automatic"]
    assert ttl["in_sync"] and ttl["source"] == "off"  # lee-devices had no TTL (the backup says)
    assert drifts["stream"]["source"] == "on, NEW_AND_OLD_IMAGES"
    assert not drifts["stream"]["in_sync"] and drifts["stream"]["automatic"]
    protection = drifts["deletion-protection"]
    assert (protection["source"], protection["restored"]) == ("off at deletion", "off")
    assert protection["action"] == "turn on (recommended after an accidental delete)"
    assert not protection["in_sync"] and protection["automatic"]
    assert tags["source"] == "unknown: not kept in the backup" and not tags["automatic"]
    # Auto scaling and the alarm are keyed by the name: they outlived the table and apply.
    kept = [s for s in drifts if s.startswith(("scaling-", "alarm "))]
    assert "alarm lee-devices-read-throttles" in kept and len(kept) == 5
    assert all(drifts[s]["in_sync"] for s in kept)
    table = cli("settings", "diff", DEVICES, DEVICES).out
    assert "DRIFT (by hand)" in table and "off at deletion" in table

    applied = cli("settings", "apply", DEVICES, DEVICES, "--yes", "--json")
    assert applied.code == 0, applied.err
    result = applied.json
    assert sorted(result["applied"]) == ["deletion-protection", "pitr", "stream"]
    assert result["all_hold"] is True and result["errors"] == {}
    described = client(url).describe_table(TableName=DEVICES)["Table"]
    assert described["DeletionProtectionEnabled"] is True
    assert described["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    after = {t["name"]: t for t in cli("status", "--json").json["tables"]}[DEVICES]
    assert after["pitr_status"] == "ENABLED"
    # Only the tags are left, by hand; once the table has some, nothing drifts.
    again = {d["setting"]: d for d in cli("settings", "diff", DEVICES, DEVICES, "--json").json}
    assert [s for s, d in again.items() if not d["in_sync"]] == ["tags"]
    arn = described["TableArn"]
    client(url).tag_resource(ResourceArn=arn, Tags=[{"Key": "project", "Value": "lee"}])
    assert cli("settings", "diff", DEVICES, DEVICES).code == 0

    # 6. Verify: lee-devices passes its rules.
    verified = cli("verify", DEVICES, "--json")
    assert verified.code == 0, verified.err
    report = verified.json
    assert report["passed"] is True

    # 7. The runbook, from the journal: restored, settings re-applied and verified; no cutover
    # needed (the application already uses the name).
    book = Runbook.from_events(cli.journal.events())
    assert book.table == DEVICES and book.restored == DEVICES
    assert book.step(StepId.RESTORE).state is StepState.DONE
    assert book.step(StepId.SETTINGS).state is StepState.DONE
    assert book.step(StepId.VERIFY).state is StepState.DONE
    assert book.step(StepId.CUTOVER).state is StepState.SKIPPED

    # 8. Its items are the backup's: every key of the truth, and equal to a second restore of
    # the same backup, item for item.
    items = scan_devices(url, DEVICES)
    assert set(items) == sandbox.damaged
    copy = f"{DEVICES}-backup-copy"
    check = Cli(capsys, url, "accidental-delete-check")  # the test's own restore, not the drill's
    check.ok(
        "restore", DEVICES, "--backup", system["arn"], "--target", copy, "--poll-seconds", "0.1"
    )
    assert scan_devices(url, copy) == items
    diff = check("verify", copy, "--against", DEVICES, "--json")
    assert diff.code == 0, diff.err
    counts = diff.json["diff"]
    assert (counts["added"], counts["removed"], counts["changed"]) == (0, 0, 0), counts
    client(url).delete_table(TableName=copy)
