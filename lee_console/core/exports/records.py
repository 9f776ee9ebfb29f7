"""The lines of an export's data files (gzipped JSON lines, DynamoDB JSON):

- a full export: ``{"Item": {...}}``, one per item;
- an incremental export: ``{"Metadata": {"WriteTimestampMicros": {"N": "..."}}, "Keys": {...},
  "OldImage": {...}, "NewImage": {...}}``, one per item changed in the period, compacted: the
  image before the period (absent: created in it; absent too in the NEW_IMAGE view), the image
  at its end (absent: deleted), and the time of the item's last write in the period."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Wire = dict[str, Any]  # an item in DynamoDB JSON ({"device_id": {"S": "dev-1"}, ...})


class ExportFormatError(ValueError):
    """A data file line that is not what AWS documents."""


@dataclass(frozen=True)
class ChangedItem:
    keys: Wire
    old: Wire | None  # the image before the period
    new: Wire | None  # the image at its end (None: deleted)
    written_at: datetime  # the item's last write in the period (to the microsecond)


def lines(paths: Iterable[Path]) -> Iterator[Mapping[str, Any]]:
    """Every JSON line of every (gzipped) data file, in file order."""
    for path in paths:
        opener: Any = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    line = json.loads(text)
                except ValueError:
                    raise ExportFormatError(f"{path.name} line {number} is not JSON") from None
                if not isinstance(line, Mapping):
                    raise ExportFormatError(f"{path.name} line {number} is not a JSON object")
                yield line


def full_items(paths: Iterable[Path]) -> Iterator[Wire]:
    for line in lines(paths):
        item = line.get("Item")
        if not isinstance(item, dict):
            raise ExportFormatError('a full export line has no "Item" object')
        yield item


def changed_items(paths: Iterable[Path]) -> Iterator[ChangedItem]:
    for line in lines(paths):
        yield changed_item(line)


def changed_item(line: Mapping[str, Any]) -> ChangedItem:
    keys, old, new = line.get("Keys"), line.get("OldImage"), line.get("NewImage")
    try:
        micros = int(line["Metadata"]["WriteTimestampMicros"]["N"])
    except (KeyError, TypeError, ValueError):
        raise ExportFormatError("an incremental line has no WriteTimestampMicros") from None
    if not isinstance(keys, dict):
        raise ExportFormatError('an incremental line has no "Keys" object')
    return ChangedItem(
        keys=keys,
        old=old if isinstance(old, dict) else None,
        new=new if isinstance(new, dict) else None,
        written_at=EPOCH + timedelta(microseconds=micros),
    )
