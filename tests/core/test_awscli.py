"""The `aws` CLI line the journal records for every mutating call."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime

from lee_console.core.awscli import aws_cli_line, kebab


def test_restore_table_to_point_in_time() -> None:
    line = aws_cli_line(
        "dynamodb",
        "RestoreTableToPointInTime",
        {
            "SourceTableName": "lee-devices",
            "TargetTableName": "lee-devices-restored-20250214T112200Z",
            "RestoreDateTime": datetime(2025, 2, 14, 11, 22, 0, 500000, tzinfo=UTC),
        },
    )
    assert line == (
        "aws dynamodb restore-table-to-point-in-time --source-table-name lee-devices "
        "--target-table-name lee-devices-restored-20250214T112200Z "
        "--restore-date-time 2025-02-14T11:22:00Z"
    )


def test_booleans_become_switches() -> None:
    line = aws_cli_line(
        "dynamodb",
        "RestoreTableToPointInTime",
        {"SourceTableName": "t1x", "TargetTableName": "t2x", "UseLatestRestorableTime": True},
    )
    assert line.endswith("--use-latest-restorable-time")
    off = aws_cli_line("dynamodb", "UpdateTable", {"DeletionProtectionEnabled": False})
    assert off == "aws dynamodb update-table --no-deletion-protection-enabled"


def test_structures_are_json_and_the_line_is_shell_safe() -> None:
    line = aws_cli_line(
        "dynamodb",
        "UpdateContinuousBackups",
        {
            "TableName": "lee-devices",
            "PointInTimeRecoverySpecification": {
                "PointInTimeRecoveryEnabled": True,
                "RecoveryPeriodInDays": 35,
            },
        },
    )
    words = shlex.split(line)
    assert words[:3] == ["aws", "dynamodb", "update-continuous-backups"]
    assert words[words.index("--point-in-time-recovery-specification") + 1] == (
        '{"PointInTimeRecoveryEnabled":true,"RecoveryPeriodInDays":35}'
    )


def test_secrets_never_appear() -> None:
    line = aws_cli_line("sts", "AssumeRole", {"SessionToken": "abc123", "SecretAccessKey": "k"})
    assert "abc123" not in line
    assert "'***'" in line


def test_kebab_matches_the_aws_cli_for_acronyms() -> None:
    assert kebab("RestoreTableToPointInTime") == "restore-table-to-point-in-time"
    assert kebab("SSESpecificationOverride") == "sse-specification-override"
    assert kebab("S3BucketOwner") == "s3-bucket-owner"
    assert kebab("SourceTableArn") == "source-table-arn"
