"""Replacements for moto's export handlers (moto's export copies the current items, writes one
file outside AWS's layout and ignores ExportTime and incremental exports)."""

from __future__ import annotations

from typing import Any

from moto.dynamodb.responses import DynamoHandler, DynamoResult

from lee_console.sandbox.exports import service

REPLACED = ("export_table_to_point_in_time", "describe_export", "list_exports")


def export_table_to_point_in_time(self: Any) -> Any:
    export, new = service.start_export(self.dynamodb_backend, self.body)
    answer = export.start_answer() if new else export.describe()
    return DynamoResult({"ExportDescription": answer})


def describe_export(self: Any) -> Any:
    export = service.describe_export(self.dynamodb_backend, self.body.get("ExportArn"))
    return DynamoResult({"ExportDescription": export.describe()})


def list_exports(self: Any) -> Any:
    body: dict[str, Any] = self.body
    page, token = service.list_exports(
        self.dynamodb_backend, body.get("TableArn"), body.get("MaxResults"), body.get("NextToken")
    )
    result: dict[str, Any] = {"ExportSummaries": [export.summary() for export in page]}
    if token is not None:
        result["NextToken"] = token
    return DynamoResult(result)


def install() -> None:
    """Replace the handlers on moto's DynamoHandler (process-wide; idempotent)."""
    setattr(DynamoHandler, "export_table_to_point_in_time", export_table_to_point_in_time)  # noqa: B010
    setattr(DynamoHandler, "describe_export", describe_export)  # noqa: B010
    setattr(DynamoHandler, "list_exports", list_exports)  # noqa: B010
