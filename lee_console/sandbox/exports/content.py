"""The export's lines, in DynamoDB JSON, built from history images without decoding items.

An image is already the item's attributes in DynamoDB wire JSON (binary values base64, as the
export writes them), so a full export line is the image wrapped in ``{"Item":...}``: 100,000
items take a fraction of a second. An incremental record decodes only its key attributes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from lee_console.sandbox.codec import HistoryKey
from lee_console.sandbox.exports.request import NEW_AND_OLD

_SEPARATORS = (",", ":")


@dataclass(frozen=True)
class ExportLines:
    lines: list[str]  # one JSON object per line, without the newline
    billed_bytes: int  # the size of the exported data (the images)


def full_lines(state: Mapping[HistoryKey, str]) -> ExportLines:
    """One ``{"Item": ...}`` line per item of ``state`` (key -> image)."""
    images = list(state.values())
    return ExportLines(
        lines=['{"Item":' + image + "}" for image in images],
        billed_bytes=sum(len(image) for image in images),
    )


def incremental_lines(
    changes: Mapping[HistoryKey, tuple[float, str | None, str | None]],
    hash_attr: str,
    range_attr: str | None,
    view_type: str,
) -> ExportLines:
    """One record per changed item: Metadata.WriteTimestampMicros (its last write in the
    period), Keys, OldImage (NEW_AND_OLD_IMAGES, if it existed before the period) and
    NewImage (if it exists at the period's end). An item created and deleted within the
    period has neither image and no record."""
    key_attrs = (hash_attr,) if range_attr is None else (hash_attr, range_attr)
    lines: list[str] = []
    billed = 0
    for ts, old, new in changes.values():
        if old is None and new is None:
            continue
        some = new if new is not None else old
        assert some is not None
        attrs = json.loads(some)
        keys = json.dumps({k: attrs[k] for k in key_attrs}, separators=_SEPARATORS)
        micros = round(ts * 1_000_000)
        parts = ['{"Metadata":{"WriteTimestampMicros":{"N":"', str(micros), '"}},"Keys":', keys]
        if old is not None and view_type == NEW_AND_OLD:
            parts += [',"OldImage":', old]
            billed += len(old)
        if new is not None:
            parts += [',"NewImage":', new]
            billed += len(new)
        parts.append("}")
        billed += len(keys)
        lines.append("".join(parts))
    return ExportLines(lines=lines, billed_bytes=billed)
