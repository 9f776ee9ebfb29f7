"""PITR exports to S3 against a real sandbox process, read back with plain boto3.

A full export at a second of the window holds exactly the items a PITR restore at that second
holds; an incremental export holds one record per item changed in [from, to), with the item
as it was before `from` (OldImage) and just before `to` (NewImage), for both views; the
manifests list every data file with its item count and MD5.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from export_reader import keyed, read_export, wait_done
from sandbox_helpers import client, scan_all
from sandbox_process import running_sandbox

BUCKET = "lee-pitr-exports"
SCENARIOS = ("none", "bad-deployment", "accidental-delete", "gradual-corruption")


@pytest.fixture(scope="module", params=SCENARIOS)
def scenario_url(request: Any) -> Iterator[str]:
    with running_sandbox(
        scenario=request.param,
        items=300,
        restore_seconds=0,
        restore_lag=0,
        extra_args=("--export-seconds", "0"),
    ) as (url, _):
        yield url


def _table(ddb: Any) -> tuple[str, str, tuple[str, ...]]:
    """lee-devices, or lee-users where the scenario deleted lee-devices: (name, ARN, keys)."""
    names = ddb.list_tables()["TableNames"]
    name = "lee-devices" if "lee-devices" in names else "lee-users"
    desc = ddb.describe_table(TableName=name)["Table"]
    keys = tuple(k["AttributeName"] for k in desc["KeySchema"])
    return name, desc["TableArn"], keys


def _restore_items(ddb: Any, table: str, at: float) -> list[dict[str, Any]]:
    target = f"exp-check-{uuid.uuid4().hex[:8]}"
    ddb.restore_table_to_point_in_time(
        SourceTableName=table, TargetTableName=target, RestoreDateTime=at
    )
    try:
        return scan_all(ddb, target)
    finally:
        ddb.delete_table(TableName=target)


def _writes(ddb: Any, table: str, keys: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Create, update and delete an item, and create and delete another: their keys."""
    items = scan_all(ddb, table)
    assert len(items) >= 2
    tag = uuid.uuid4().hex[:8]
    new = {**items[0], keys[0]: {"S": f"exp-new-{tag}"}}
    fleeting = {**items[0], keys[0]: {"S": f"exp-gone-{tag}"}}
    updated = {**items[0], "exp_note": {"S": "updated"}}
    deleted = items[1]
    ddb.put_item(TableName=table, Item=new)
    ddb.put_item(TableName=table, Item=fleeting)
    ddb.put_item(TableName=table, Item=updated)
    ddb.delete_item(TableName=table, Key={k: deleted[k] for k in keys})
    ddb.delete_item(TableName=table, Key={k: fleeting[k] for k in keys})
    return tuple(next(iter(keyed([i], keys))) for i in (new, updated, deleted, fleeting))


def _export(ddb: Any, **kwargs: Any) -> dict[str, Any]:
    started = ddb.export_table_to_point_in_time(S3Bucket=BUCKET, **kwargs)["ExportDescription"]
    assert started["ExportStatus"] == "IN_PROGRESS"
    done = wait_done(ddb, started["ExportArn"])
    assert done["ExportStatus"] == "COMPLETED", done
    return done


def test_full_export_equals_restore_at_the_same_second(scenario_url: str) -> None:
    ddb, s3 = client(scenario_url), client(scenario_url, "s3")
    name, arn, keys = _table(ddb)
    at = float(int(time.time()) - 1800)  # a whole second half an hour ago
    done = _export(ddb, TableArn=arn, ExportTime=at, S3Prefix="full")
    assert done["ExportTime"].timestamp() == at
    read = read_export(s3, BUCKET, done["ExportManifest"])
    export_id = done["ExportArn"].rsplit("/", 1)[1]
    assert done["ExportArn"] == f"{arn}/export/{export_id}"
    assert all(
        f["dataFileS3Key"].startswith(f"full/AWSDynamoDB/{export_id}/data/") for f in read.files
    )
    assert read.summary["exportTime"] == time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(at))
    assert done["ItemCount"] == len(read.lines)
    assert all(set(line) == {"Item"} for line in read.lines)
    exported = keyed([line["Item"] for line in read.lines], keys)
    restored = keyed(_restore_items(ddb, name, at), keys)
    assert len(exported) == len(read.lines)  # no item twice
    assert exported == restored


@pytest.mark.parametrize("view", ["NEW_AND_OLD_IMAGES", "NEW_IMAGE"])
def test_incremental_export_is_the_difference_between_two_restores(
    scenario_url: str, view: str
) -> None:
    ddb, s3 = client(scenario_url), client(scenario_url, "s3")
    name, arn, keys = _table(ddb)
    made = _writes(ddb, name, keys)
    end = float(int(time.time()) + 1)  # the next whole second, after the writes
    time.sleep(end - time.time() + 0.05)
    start = end - 24 * 3600  # the longest period AWS allows
    done = _export(
        ddb,
        TableArn=arn,
        ExportType="INCREMENTAL_EXPORT",
        IncrementalExportSpecification={
            "ExportFromTime": start,
            "ExportToTime": end,
            "ExportViewType": view,
        },
    )
    read = read_export(s3, BUCKET, done["ExportManifest"])
    assert read.summary["outputView"] == view
    assert read.summary["exportType"] == "INCREMENTAL_EXPORT"
    # ExportFromTime is inclusive and ExportToTime exclusive: a restore 1 ms before each.
    before = keyed(_restore_items(ddb, name, start - 0.001), keys)
    after = keyed(_restore_items(ddb, name, end - 0.001), keys)
    records = keyed([{**r["Keys"], "_r": r} for r in read.lines], keys)
    assert len(records) == len(read.lines)  # one record per item
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed, "the period should hold changes"
    assert changed <= records.keys()
    created, updated, deleted, fleeting = made
    assert "OldImage" not in records[created]["_r"] and "NewImage" in records[created]["_r"]
    assert records[updated]["_r"]["NewImage"]["exp_note"] == {"S": "updated"}
    assert "NewImage" not in records[deleted]["_r"]
    assert (view == "NEW_IMAGE") != ("OldImage" in records[deleted]["_r"])
    assert fleeting not in records  # created and deleted within the period: no record
    for key, item in records.items():
        record = item["_r"]
        assert set(record) <= {"Metadata", "Keys", "OldImage", "NewImage"}
        assert record["Keys"] == {k: (after.get(key) or before[key])[k] for k in keys}
        micros = int(record["Metadata"]["WriteTimestampMicros"]["N"])
        assert start * 1e6 <= micros < end * 1e6
        assert record.get("NewImage") == after.get(key)
        if view == "NEW_AND_OLD_IMAGES":
            assert record.get("OldImage") == before.get(key)
        else:
            assert "OldImage" not in record


# -- status, listing and errors (a sandbox whose exports take 1.5 s) ------------------------------

EXPORT_SECONDS = 1.5


@pytest.fixture(scope="module")
def slow_url() -> Iterator[str]:
    with running_sandbox(
        scenario="none",
        items=300,
        restore_seconds=0,
        restore_lag=300,  # AWS's: an export is not held back by it
        extra_args=("--export-seconds", str(EXPORT_SECONDS)),
    ) as (url, _):
        yield url


def test_in_progress_then_completed_with_the_items_as_of_export_time(slow_url: str) -> None:
    ddb, s3 = client(slow_url), client(slow_url, "s3")
    arn = ddb.describe_table(TableName="lee-devices")["Table"]["TableArn"]
    count = len(scan_all(ddb, "lee-devices"))
    time.sleep(0.01)
    started = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket=BUCKET, S3Prefix="slow")
    desc = started["ExportDescription"]
    ddb.put_item(TableName="lee-devices", Item={"device_id": {"S": "written-during-export"}})
    now = ddb.describe_export(ExportArn=desc["ExportArn"])["ExportDescription"]
    assert now["ExportStatus"] == "IN_PROGRESS"
    assert not {"ItemCount", "ExportManifest", "EndTime"} & now.keys()
    export_id = desc["ExportArn"].rsplit("/", 1)[1]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="slow/")["Contents"]]
    assert keys == [f"slow/AWSDynamoDB/{export_id}/_started"]
    done = wait_done(ddb, desc["ExportArn"])
    assert done["ExportStatus"] == "COMPLETED"
    assert (done["EndTime"] - done["StartTime"]).total_seconds() >= EXPORT_SECONDS
    assert done["ItemCount"] == count and done["BilledSizeBytes"] > 0
    read = read_export(s3, BUCKET, done["ExportManifest"])
    ids = {line["Item"]["device_id"]["S"] for line in read.lines}
    assert "written-during-export" not in ids and len(ids) == count
    listed = ddb.list_exports(TableArn=arn)["ExportSummaries"]
    assert {
        "ExportArn": desc["ExportArn"],
        "ExportStatus": "COMPLETED",
        "ExportType": "FULL_EXPORT",
    } in listed


def test_an_export_at_now_holds_the_items_just_written(slow_url: str) -> None:
    """No ExportTime: now, not LatestRestorableDateTime (now - 300 s here): a table whose PITR
    was enabled a moment ago exports the items just written."""
    ddb, s3 = client(slow_url), client(slow_url, "s3")
    name = f"exp-fresh-{uuid.uuid4().hex[:6]}"
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    items = [{"pk": {"S": f"k{i}"}, "b": {"B": b"\x00bin"}} for i in range(3)]
    for item in items:
        ddb.put_item(TableName=name, Item=item)
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    desc = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket=BUCKET)["ExportDescription"]
    done = wait_done(ddb, desc["ExportArn"])
    assert done["ExportStatus"] == "COMPLETED" and done["ItemCount"] == 3
    lines = read_export(s3, BUCKET, done["ExportManifest"]).lines
    assert sorted(line["Item"]["pk"]["S"] for line in lines) == ["k0", "k1", "k2"]
    assert {line["Item"]["b"]["B"] for line in lines} == {"AGJpbg=="}  # base64, as AWS's


def test_list_exports_pages(slow_url: str) -> None:
    ddb = client(slow_url)
    arn = ddb.describe_table(TableName="lee-users")["Table"]["TableArn"]
    arns = [
        ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket=BUCKET)["ExportDescription"][
            "ExportArn"
        ]
        for _ in range(3)
    ]
    first = ddb.list_exports(TableArn=arn, MaxResults=2)
    rest = ddb.list_exports(TableArn=arn, MaxResults=2, NextToken=first["NextToken"])
    assert [e["ExportArn"] for e in first["ExportSummaries"] + rest["ExportSummaries"]] == arns
    assert "NextToken" not in rest


def _error(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def test_errors_as_aws_answers_them(slow_url: str) -> None:
    ddb = client(slow_url)
    export = ddb.export_table_to_point_in_time
    arn = ddb.describe_table(TableName="lee-devices")["Table"]["TableArn"]
    now = time.time()

    assert _error(export, TableArn=arn + "-nope", S3Bucket=BUCKET)[0] == "TableNotFoundException"
    name = f"exp-nopitr-{uuid.uuid4().hex[:6]}"
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    no_pitr = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    code, message = _error(export, TableArn=no_pitr, S3Bucket=BUCKET)
    assert (code, message) == (
        "PointInTimeRecoveryUnavailableException",
        f"Point in time recovery is not enabled for table '{name}'",
    )
    for at in (now + 60, now - 40 * 86400):
        code, message = _error(export, TableArn=arn, S3Bucket=BUCKET, ExportTime=at)
        assert code == "InvalidExportTimeException"
        assert "outside the point in time recovery window" in message

    def incremental(start: float, end: float) -> tuple[str, str]:
        spec = {"ExportFromTime": start, "ExportToTime": end}
        return _error(
            export,
            TableArn=arn,
            S3Bucket=BUCKET,
            ExportType="INCREMENTAL_EXPORT",
            IncrementalExportSpecification=spec,
        )

    end = now - 60
    for start, words in (
        (end - 14 * 60, "at least 15 minutes and at most 24 hours; it is 0h14m00s (840 s)"),
        (end - 25 * 3600, "at least 15 minutes and at most 24 hours; it is 25h00m00s (90000 s)"),
        (end, "must be earlier than ExportToTime"),
    ):
        code, message = incremental(start, end)
        assert code == "ValidationException" and words in message, message
    assert incremental(now - 40 * 86400, now - 40 * 86400 + 3600)[0] == (
        "InvalidExportTimeException"
    )

    missing = export(TableArn=arn, S3Bucket="no-such-bucket")["ExportDescription"]
    assert missing["ExportStatus"] == "IN_PROGRESS"
    failed = wait_done(ddb, missing["ExportArn"])
    assert (failed["ExportStatus"], failed["FailureCode"], failed["FailureMessage"]) == (
        "FAILED",
        "S3NoSuchBucket",
        "The specified bucket does not exist",
    )

    token = uuid.uuid4().hex
    first = export(TableArn=arn, S3Bucket=BUCKET, ClientToken=token, ExportTime=now - 600)
    again = export(TableArn=arn, S3Bucket=BUCKET, ClientToken=token, ExportTime=now - 600)
    assert first["ExportDescription"]["ExportArn"] == again["ExportDescription"]["ExportArn"]
    code, _ = _error(export, TableArn=arn, S3Bucket=BUCKET, ClientToken=token, ExportTime=now)
    assert code == "ExportConflictException"
    assert _error(ddb.describe_export, ExportArn=arn + "/export/00000000000000-00000000")[0] == (
        "ExportNotFoundException"
    )


def test_a_large_export_is_split_into_files_of_at_most_10000_lines() -> None:
    """In process, against moto's S3 backend: 25,001 lines make three data files, each listed
    in manifest-files.json with its count, MD5 and ETag; no lines make one empty file."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    from lee_console.sandbox.exports import layout

    s3 = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    bucket = f"exp-split-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(bucket, "us-east-1")
    lines = [f'{{"Item":{{"pk":{{"S":"k{i}"}}}}}}' for i in range(25_001)]
    summary = {"itemCount": len(lines), "manifestFilesS3Key": None}
    written = layout.write_export(
        DEFAULT_ACCOUNT_ID, bucket, "AWSDynamoDB/x/", "AWSDynamoDB/x/data/", lines, summary
    )
    read = read_export(client_for_moto(s3), bucket, written.summary_key)
    assert [f["itemCount"] for f in read.files] == [10_000, 10_000, 5_001]
    assert [line["Item"]["pk"]["S"] for line in read.lines] == [f"k{i}" for i in range(25_001)]
    empty = layout.write_export(
        DEFAULT_ACCOUNT_ID,
        bucket,
        "AWSDynamoDB/y/",
        "AWSDynamoDB/y/data/",
        [],
        summary | {"itemCount": 0},
    )
    assert [
        f["itemCount"] for f in read_export(client_for_moto(s3), bucket, empty.summary_key).files
    ] == [0]


class client_for_moto:
    """What read_export calls on a boto3 S3 client, served by moto's S3 backend in process."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        import io

        return {"Body": io.BytesIO(self._backend.get_object(Bucket, Key).value)}

    def head_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        return {"ETag": self._backend.get_object(Bucket, Key).etag}
