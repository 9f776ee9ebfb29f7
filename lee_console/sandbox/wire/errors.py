"""AWS error answers for injected faults, in each protocol's own format, so that botocore parses
them (and retries them, or not) exactly as it would AWS's."""

from __future__ import annotations

import json
import uuid

from lee_console.sandbox.wire.operations import Operation

# fault -> (HTTP status, error code, message)
_ERRORS = {
    "throttle": (400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
    "limit": (400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
    "5xx": (500, "InternalServerError", "Internal server error (injected by the sandbox)."),
    "expired": (
        400,
        "ExpiredTokenException",
        "The security token included in the request is expired",
    ),
}
_QUERY_CODES = {"ThrottlingException": "Throttling", "InternalServerError": "InternalFailure"}


def error_answer(fault: str, operation: Operation) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of the AWS error for ``fault`` (not drop or down)."""
    status, code, message = _ERRORS[fault]
    request_id = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", request_id)]
    if operation.protocol in ("query", "ec2", "rest-xml"):
        code = _QUERY_CODES.get(code, code) if operation.protocol != "rest-xml" else code
        kind = "Receiver" if status >= 500 else "Sender"
        body = (
            f"<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code>"
            f"<Message>{message}</Message></Error><RequestId>{request_id}</RequestId>"
            "</ErrorResponse>"
        ).encode()
        return status, [*headers, ("Content-Type", "text/xml")], body
    if operation.protocol == "smithy-rpc-v2-cbor":
        body = _cbor_map({"__type": code, "message": message})
        return status, [*headers, ("Content-Type", "application/cbor"),
                        ("smithy-protocol", "rpc-v2-cbor")], body  # fmt: skip
    body = json.dumps({"__type": f"com.amazonaws.sandbox#{code}", "message": message}).encode()
    return (
        status,
        [
            *headers,
            ("Content-Type", "application/x-amz-json-1.0"),
            ("x-amzn-ErrorType", code),
        ],
        body,
    )


def _cbor_map(fields: dict[str, str]) -> bytes:
    """A CBOR map of short text strings (all that an error body needs)."""
    out = bytearray([0xA0 + len(fields)])
    for key, value in fields.items():
        for text in (key, value):
            raw = text.encode()
            out += bytes([0x60 + len(raw)]) if len(raw) < 24 else bytes([0x78, len(raw)])
            out += raw
    return bytes(out)
