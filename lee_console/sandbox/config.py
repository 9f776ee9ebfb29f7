"""Process-wide settings the extension reads at request time (moto builds backends lazily)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ExtensionConfig:
    restore_lag_seconds: float = 300.0
    restore_seconds: float = 15.0
    export_seconds: float = 20.0  # an export stays IN_PROGRESS this long


CONFIG = ExtensionConfig()
