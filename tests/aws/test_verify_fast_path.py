"""verify's fast path against a real sandbox: Scan bodies kept raw on the scanning threads only
(a Scan elsewhere on the same client is still parsed), botocore's retries still ride out
throttled Scans, --read-only still allows it, in this process or in scan worker processes
(verify --workers N), and past the spill threshold the
diff goes through private partition files (gone afterwards) with the same report."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sandbox_process import running_sandbox

import lee_console.aws.verify as verify_module
from lee_console.aws.scan import scan_items
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.aws.verify import verify_table

LIVE = "lee-devices"
RESTORED = "lee-devices-fast-restored"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    truth_file = tmp_path_factory.mktemp("truth") / "truth.json"
    log = tmp_path_factory.mktemp("log") / "requests.jsonl"
    faults = ("--request-log", str(log))
    with running_sandbox(
        "bad-deployment", items=1200, truth_file=truth_file, extra_args=faults
    ) as (url, _):
        truth = json.loads(truth_file.read_text())
        aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1"))
        client = aws.dynamodb
        damage_start = datetime.fromisoformat(truth["damage_start"].replace("Z", "+00:00"))
        client.restore_table_to_point_in_time(
            SourceTableName=LIVE,
            TargetTableName=RESTORED,
            RestoreDateTime=damage_start - timedelta(seconds=60),
        )
        while client.describe_table(TableName=RESTORED)["Table"]["TableStatus"] != "ACTIVE":
            time.sleep(0.1)
        truth["request_log"] = str(log)
        yield url, truth


@pytest.mark.parametrize("workers", [False, True], ids=["in-process", "worker-processes"])
def test_read_only_verify_through_throttled_scans(
    sandbox: tuple[str, dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    workers: bool,
) -> None:
    url, truth = sandbox
    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(tmp_path))
    before = len(Path(truth["request_log"]).read_text().splitlines())
    # the first three Scans from now are throttled (the sandbox's fault rules, replaced)
    request = urllib.request.Request(
        f"{url}/_lee/faults", data=b"throttle@Scan,count=3", method="PUT"
    )
    urllib.request.urlopen(request, timeout=10).close()
    aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1", read_only=True))
    said: list[str] = []
    aws.retries.listen(said.append)
    plain: list[Any] = []
    # a plain Scan on another thread, at the same time, on the same client: parsed as usual
    other = threading.Thread(target=lambda: plain.extend(scan_items(aws, LIVE, segments=2)))
    other.start()
    report = verify_table(aws, RESTORED, LIVE, record=False, workers=2 if workers else 0)
    other.join()
    assert len(plain) == 1200 and all(isinstance(i["device_id"], str) for i in plain)
    lines = Path(truth["request_log"]).read_text().splitlines()[before:]
    requests = [json.loads(line) for line in lines]
    throttled = [r for r in requests if r.get("operation") == "Scan" and r.get("fault")]
    assert throttled and any("Scan" in line for line in said), said  # botocore retried them
    diff = report.diff
    assert diff is not None
    assert report.checked.items == report.against.items == 1200  # type: ignore[union-attr]
    damaged = {entry.key[0] for entry in diff.damaged()}
    assert damaged == {k["device_id"] for k in truth["damaged_keys"]}


def test_spilled_diff_gives_the_same_report(
    sandbox: tuple[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, _ = sandbox
    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(tmp_path))
    aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1"))
    in_memory = verify_table(aws, RESTORED, LIVE, record=False)
    monkeypatch.setattr(verify_module, "SPILL_ABOVE", 100)
    spilled = verify_table(aws, RESTORED, LIVE, record=False, now=in_memory.verified_at)
    assert in_memory.diff is not None and spilled.diff is not None
    assert spilled.diff.to_json() == in_memory.diff.to_json()
    assert spilled.diff.damaged() == in_memory.diff.damaged()
    assert dict(spilled.diff.entries) == dict(in_memory.diff.entries)
    spilled = verify_table(aws, RESTORED, LIVE, record=False, now=in_memory.verified_at, workers=2)
    assert spilled.to_json()["counts"] == in_memory.to_json()["counts"]
    assert spilled.diff is not None and spilled.diff.to_json() == in_memory.diff.to_json()
    assert (tmp_path / "spill").is_dir()
    assert not any((tmp_path / "spill").iterdir())  # the partition files are gone
