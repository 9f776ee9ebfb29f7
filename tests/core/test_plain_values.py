"""A Scan's wire value (binaries as bytes) and an export's (binaries in base64) become the same
plain value: one conversion, the binary decoder its only difference."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest

from lee_console.aws.scan import from_wire
from lee_console.core.export_verify.wire import plain_value


def _every_kind(binary: Any) -> dict[str, Any]:
    return {
        "M": {
            "s": {"S": "on"},
            "n": {"N": "5.0"},
            "b": {"B": binary(b"\x00\xff")},
            "t": {"BOOL": True},
            "z": {"NULL": True},
            "l": {"L": [{"N": "1E+1"}, {"S": ""}]},
            "ss": {"SS": ["a", "b"]},
            "ns": {"NS": ["1", "2.5"]},
            "bs": {"BS": [binary(b"a"), binary(b"\x01")]},
        }
    }


PLAIN = {
    "s": "on",
    "n": Decimal("5"),
    "b": b"\x00\xff",
    "t": True,
    "z": None,
    "l": [Decimal("10"), ""],
    "ss": {"a", "b"},
    "ns": {Decimal(1), Decimal("2.5")},
    "bs": {b"a", b"\x01"},
}


def test_scan_and_export_values_are_the_same_plain_value() -> None:
    scanned = from_wire(_every_kind(lambda raw: raw))
    exported = plain_value(_every_kind(lambda raw: base64.b64encode(raw).decode()))
    assert scanned == exported == PLAIN
    assert isinstance(exported["b"], bytes) and isinstance(scanned["b"], bytes)


@pytest.mark.parametrize("convert", [from_wire, plain_value])
def test_an_unknown_type_is_named(convert: Any) -> None:
    with pytest.raises(ValueError, match="unknown DynamoDB type 'X'"):
        convert({"X": "1"})
