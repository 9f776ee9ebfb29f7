"""Digests of item images, as the console computes them from what it reads.

The console hashes an item it scanned (aws/scan.py's ``item_from_wire``: N as Decimal, B as
bytes, sets as sets) with ``core.diff.item_hash``; the ground truth's ``expected`` and
``damaged_digests`` must be the same digest for the same item, so an image (wire JSON) is
turned into the same plain values here (the sandbox may not import aws/)."""

from __future__ import annotations

from lee_console.core.diff import item_hash
from lee_console.core.export_verify.wire import plain_item


def image_digest(image: str) -> str:
    """``item_hash`` of the item the image holds, in hex (the truth's digests)."""
    return item_hash(plain_item(image)).hex()
