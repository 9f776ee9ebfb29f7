"""What incremental exports cost before they start (aws-facts.md, us-east-1): $0.10 per GB of
change data processed, with a minimum billed per export (AWS bills at least 10 MB each). The
change data is not known before the export: the estimate is a range, from every export billed
its minimum to every period having changed the whole table."""

from __future__ import annotations

from dataclasses import dataclass

from lee_console.core.cost import EXPORT_PER_GB, gigabytes

MINIMUM_BYTES_PER_EXPORT = 10 * 2**20  # the least AWS bills an incremental export


@dataclass(frozen=True)
class ExportCost:
    exports: int
    table_bytes: int

    @property
    def least(self) -> float:
        return self.exports * gigabytes(MINIMUM_BYTES_PER_EXPORT) * EXPORT_PER_GB

    @property
    def most(self) -> float:
        per_export = max(self.table_bytes, MINIMUM_BYTES_PER_EXPORT)
        return self.exports * gigabytes(per_export) * EXPORT_PER_GB

    def text(self) -> str:
        """One clause: '$0.0010 to $0.0042 ($0.10/GB of change data, 10 MB at least each)'."""
        return (
            f"${self.least:,.4f} to ${self.most:,.4f} at $0.10 per GB of change data (10 MB "
            f"billed at least per export; the most if every period changed the whole table of "
            f"{gigabytes(self.table_bytes):,.3f} GB)"
        )

    def to_json(self) -> dict[str, float | int]:
        return {"exports": self.exports, "least_usd": round(self.least, 6),
                "most_usd": round(self.most, 6)}  # fmt: skip
