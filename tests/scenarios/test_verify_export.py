"""verify --via export against the sandbox's real exports: the same verdict, counts, rule
violations and diff as --via scan (which reads both tables), the Athena file written owner-only,
and a missing bucket said in one line."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_process import running_sandbox
from scenario_helpers import Cli


@pytest.fixture(scope="module")
def exporting() -> Iterator[str]:
    with running_sandbox(
        scenario="bad-deployment", items=300, extra_args=("--export-seconds", "0")
    ) as (url, _):
        yield url


def test_export_and_scan_agree(
    exporting: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bucket comes from the config file's export_bucket, as for damage and repair."""
    config = tmp_path / "config.toml"
    config.write_text('export_bucket = "lee-pitr-exports"\n')
    monkeypatch.setenv("LEE_CONSOLE_CONFIG", str(config))
    cli = Cli(capsys, exporting, "verify-export")
    cli.ok("incident", "declare", "--table", "lee-devices")
    target = cli.ok("restore", "lee-devices", "--at", "-5m").json["target"]
    # restored after the damage began: both ways must find the same broken items
    scanned = cli("verify", target, "--against", "lee-devices", "--json")
    run = cli("verify", target, "--against", "lee-devices", "--json", "--via", "export")
    assert scanned.code == run.code == 1, (scanned.err, run.err)
    scan, export = scanned.json, run.json
    assert export["checked"]["violating_items"] > 0
    for key in ("passed", "counts"):
        assert export[key] == scan[key], key
    assert export["checked"]["violating_items"] == scan["checked"]["violating_items"]
    assert export["diff"] == scan["diff"]  # counts, damaged keys and their samples
    [athena] = (tmp_path / "lee-state" / "exports").glob("verify-athena-*.sql")
    assert stat.S_IMODE(athena.stat().st_mode) == 0o600
    assert "CREATE EXTERNAL TABLE" in athena.read_text()
    assert "aws athena start-query-execution" in run.err


def test_a_missing_bucket_is_one_line(exporting: str, capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(capsys, exporting, "verify-export-bucket")
    cli.ok("incident", "declare", "--table", "lee-devices")
    target = cli.ok("restore", "lee-devices", "--at", "-6m").json["target"]
    run = cli("verify", target, "--against", "lee-devices", "--via", "export",
              "--bucket", "no-such-bucket")  # fmt: skip
    assert run.code == 2
    assert re.fullmatch(
        r"lee-console: Export \S+ failed: S3NoSuchBucket: The specified bucket does not exist\.",
        run.err_lines[-1],
    ), run.err_lines[-1]
    none = cli("verify", target, "--against", "lee-devices", "--via", "export")
    assert none.code == 2
    assert re.fullmatch(
        rf"lee-console: No S3 bucket for the exports: verify --via export exports {target} to "
        r"S3; pass --bucket B or set export_bucket in \S+config.toml\.",
        none.err_lines[-1],
    ), none.err_lines[-1]


def test_a_comparison_too_large_for_its_memory_is_one_line_naming_the_ways_out(
    exporting: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """DuckDB out of its --memory-limit: one line with the larger limit, --via scan and the
    Athena SQL (written before the comparison, so it is there); a size it cannot read is
    refused before any export."""
    cli = Cli(capsys, exporting, "verify-export-memory")
    cli.ok("incident", "declare", "--table", "lee-devices")
    target = cli.ok("restore", "lee-devices", "--at", "-7m").json["target"]
    verify = ("verify", target, "--against", "lee-devices", "--via", "export",
              "--bucket", "lee-pitr-exports")  # fmt: skip
    run = cli(*verify, "--memory-limit", "1MB")
    assert run.code == 2, run.err
    [athena] = (tmp_path / "lee-state" / "exports").glob("verify-athena-*.sql")
    assert run.err_lines[-1] == (
        "lee-console: DuckDB ran out of its 1MB memory limit comparing the exports (an export "
        "file's items did not fit in it): rerun with --memory-limit 1GB where this machine has "
        f"the memory, or with --via scan; or run the same comparison in Athena: {athena}."
    )
    bad = cli(*verify, "--memory-limit", "lots")
    assert bad.code == 2
    assert bad.err_lines[-1] == (
        "lee-console: --memory-limit takes a size such as 128MB or 2GB, got 'lots'."
    )
