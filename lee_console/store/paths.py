"""Where the console keeps its config and state (XDG dirs via platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "lee-console"


def config_path() -> Path:
    override = os.environ.get("LEE_CONSOLE_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def state_dir() -> Path:
    override = os.environ.get("LEE_CONSOLE_STATE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir(APP_NAME))


def data_dir() -> Path:
    """The XDG data dir: what the console keeps beyond incidents (dr-test history, drill
    results); LEE_CONSOLE_DATA_DIR overrides it as LEE_CONSOLE_STATE_DIR does the state dir."""
    override = os.environ.get("LEE_CONSOLE_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME))
