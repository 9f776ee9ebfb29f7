"""Spill files for verify's diff past its in-memory threshold (core/scan_diff/join.py's Spill):
records ``(key text, digest + verdict)`` hash-partitioned by key into one file per side and
partition, in a private folder (0700, files 0600) that is deleted when the diff is done.

They hold the tables' keys and item digests, never item bodies. Records are buffered per file
and appended in large writes; a partition is read back whole (a few MB at a million items).
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lee_console.store.private import FILE_MODE, private_dir

PARTITIONS = 64
_FLUSH_BYTES = 64 * 1024
_HEADER = struct.Struct("<IB")  # key length, record length


class SpillFiles:
    """``add(side, key, record)`` for sides 0 and 1; ``partitions()`` reads them back."""

    def __init__(
        self, parent: Path, partitions: int = PARTITIONS, flush_bytes: int = _FLUSH_BYTES
    ) -> None:
        self.flush_bytes = flush_bytes
        self.folder = Path(tempfile.mkdtemp(prefix="verify-spill-", dir=private_dir(parent)))
        self.count = partitions
        self._buffers = [[bytearray() for _ in range(partitions)] for _ in range(2)]
        self._files: list[list[int | None]] = [[None] * partitions for _ in range(2)]

    def _path(self, side: int, number: int) -> Path:
        return self.folder / f"{side}-{number:03d}.bin"

    def add(self, side: int, key: str, record: bytes) -> None:
        data = key.encode("utf-8")
        number = hash(key) % self.count
        buffer = self._buffers[side][number]
        buffer += _HEADER.pack(len(data), len(record))
        buffer += data
        buffer += record
        if len(buffer) >= self.flush_bytes:
            self._flush(side, number)

    def _flush(self, side: int, number: int) -> None:
        buffer = self._buffers[side][number]
        if not buffer:
            return
        descriptor = self._files[side][number]
        if descriptor is None:
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
            descriptor = os.open(self._path(side, number), flags, FILE_MODE)
            self._files[side][number] = descriptor
        os.write(descriptor, buffer)
        buffer.clear()

    def partitions(self) -> Iterator[tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]]:
        for side in range(2):
            for number in range(self.count):
                self._flush(side, number)
                descriptor = self._files[side][number]
                if descriptor is not None:
                    os.close(descriptor)
                    self._files[side][number] = None
        for number in range(self.count):
            yield self._read(0, number), self._read(1, number)

    def _read(self, side: int, number: int) -> list[tuple[str, bytes]]:
        path = self._path(side, number)
        if not path.exists():
            return []
        data = path.read_bytes()
        path.unlink()
        records = []
        at, end, header = 0, len(data), _HEADER.size
        unpack = _HEADER.unpack_from
        while at < end:
            key_length, record_length = unpack(data, at)
            at += header
            key = data[at : at + key_length].decode("utf-8")
            at += key_length
            records.append((key, data[at : at + record_length]))
            at += record_length
        return records

    def close(self) -> None:
        for side in range(2):
            for number in range(self.count):
                descriptor = self._files[side][number]
                if descriptor is not None:
                    os.close(descriptor)
                    self._files[side][number] = None
        shutil.rmtree(self.folder, ignore_errors=True)
