"""The table-name validator and the names the console makes up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from lee_console.core.errors import InvalidInput
from lee_console.core.names import (
    default_restore_target,
    suggest_free_name,
    validate_table_name,
)


def test_default_restore_target_is_named_after_the_restore_point() -> None:
    point = datetime(2025, 2, 14, 11, 22, 0, tzinfo=UTC)
    assert default_restore_target("lee-devices", point) == "lee-devices-restored-20250214T112200Z"


def test_default_restore_target_uses_utc_and_drops_fractions() -> None:
    point = datetime(2025, 2, 14, 12, 22, 5, 999000, tzinfo=timezone(timedelta(hours=1)))
    assert default_restore_target("lee-devices", point) == "lee-devices-restored-20250214T112205Z"


def test_two_restore_points_never_collide() -> None:
    point = datetime(2025, 2, 14, 11, 22, 0, tzinfo=UTC)
    later = point + timedelta(seconds=1)
    assert default_restore_target("t1x", point) != default_restore_target("t1x", later)


def test_suggest_free_name_skips_taken_names() -> None:
    assert suggest_free_name("lee-devices-r", []) == "lee-devices-r-2"
    existing = {"lee-devices-r", "lee-devices-r-2", "lee-devices-r-3"}
    assert suggest_free_name("lee-devices-r", existing) == "lee-devices-r-4"


@pytest.mark.parametrize("name", ["abc", "lee-devices", "Lee_Devices.v2", "a" * 255])
def test_valid_table_names(name: str) -> None:
    assert validate_table_name(name) == name


@pytest.mark.parametrize(
    "name", ["ab", "", "a" * 256, "lee devices", "lee/devices", "tablé", "lee-devices\n"]
)
def test_invalid_table_names_say_the_rule(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_table_name(name)
    assert "3-255 characters" in caught.value.message
    assert repr(name) in caught.value.message
