"""What of an API call's parameters may be written down: the journal, the report and the log
keep no secret and no customer data.

- DynamoDB items are recorded as a hash and their attribute names (``Key`` parameters stay:
  keys identify items, they are how the report names them); expression values are not kept.
- Lambda environments: only the variables whose value is a table name being repointed
  (``reveal``), and how many others there were; their names and values are not kept.
- SSM parameter values: only a table name being repointed, never a SecureString.
- Anywhere else, a field whose name says secret (password, token, key material...) is hidden.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

HIDDEN = "<not recorded>"
_SECRET_NAME = re.compile(
    r"pass(word|wd|phrase)?|secret|token|credential|api_?key|private|auth|signature|cookie",
    re.IGNORECASE,
)


def digest(value: Any) -> str:
    """A stable hash of a value (an item in wire form, say): equal bodies, equal digests."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def item_summary(item: Any) -> Any:
    if not isinstance(item, Mapping):
        return HIDDEN
    return {"sha256": digest(item), "attributes": sorted(str(name) for name in item)}


def redact_params(
    service: str, operation: str, params: Mapping[str, Any], reveal: frozenset[str]
) -> dict[str, Any]:
    """``params`` as they may be journaled. ``reveal``: values that may be shown (the table
    names a cutover repoints)."""
    if service == "dynamodb":
        kept = _dynamodb(params)
    elif service == "lambda":
        kept = _lambda(params, reveal)
    elif service == "ssm":
        kept = _ssm(params, reveal)
    else:
        kept = dict(params)
    scrubbed: dict[str, Any] = scrub(kept)
    return scrubbed


def scrub(value: Any) -> Any:
    """Hide every field whose name says secret, at any depth."""
    if isinstance(value, Mapping):
        return {
            key: HIDDEN if _SECRET_NAME.search(str(key)) else scrub(inner)
            for key, inner in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(inner) for inner in value]
    return value


_ITEM_FIELDS = ("Item",)
_VALUE_FIELDS = ("ExpressionAttributeValues", "AttributeUpdates", "Expected")


def _dynamodb(params: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in params.items():
        if name in _ITEM_FIELDS:
            result[name] = item_summary(value)
        elif name in _VALUE_FIELDS:
            result[name] = (
                f"<{len(value) if isinstance(value, Mapping) else '?'} values not recorded>"
            )
        elif name == "RequestItems" and isinstance(value, Mapping):
            result[name] = {table: _write_requests(requests) for table, requests in value.items()}
        elif name == "TransactItems" and isinstance(value, list):
            result[name] = [_transact_item(entry) for entry in value]
        else:
            result[name] = value
    return result


def _write_requests(requests: Any) -> Any:
    if not isinstance(requests, list):
        return HIDDEN
    summary: list[Any] = []
    for request in requests:
        if isinstance(request, Mapping) and "PutRequest" in request:
            summary.append(
                {"PutRequest": {"Item": item_summary(request["PutRequest"].get("Item"))}}
            )
        elif isinstance(request, Mapping) and "DeleteRequest" in request:
            summary.append(request)
        else:
            summary.append(HIDDEN)
    return summary


def _transact_item(entry: Any) -> Any:
    if not isinstance(entry, Mapping):
        return HIDDEN
    return {operation: _dynamodb(body) if isinstance(body, Mapping) else HIDDEN
            for operation, body in entry.items()}  # fmt: skip


def _lambda(params: Mapping[str, Any], reveal: frozenset[str]) -> dict[str, Any]:
    result = dict(params)
    environment = params.get("Environment")
    if isinstance(environment, Mapping):
        variables = environment.get("Variables")
        variables = variables if isinstance(variables, Mapping) else {}
        shown = {k: v for k, v in variables.items() if isinstance(v, str) and v in reveal}
        result["Environment"] = {
            "Variables": shown,
            "other_variables": f"{len(variables) - len(shown)} (names and values not recorded)",
        }
    return result


def _ssm(params: Mapping[str, Any], reveal: frozenset[str]) -> dict[str, Any]:
    result = dict(params)
    if "Value" in params:
        value = params["Value"]
        secure = params.get("Type") == "SecureString"
        result["Value"] = (
            value if not secure and isinstance(value, str) and value in reveal else HIDDEN
        )
    return result
