"""Reading the config file from its XDG location."""

from __future__ import annotations

from pathlib import Path

from lee_console.core.config import Config, parse_config
from lee_console.core.errors import ConfigError


def load_config(path: Path) -> Config:
    """The config at ``path``, or the defaults when there is no file."""
    if not path.exists():
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path}: not UTF-8 text; the config file is TOML (`lee-console config example`)."
        ) from None
    except OSError as error:
        raise ConfigError(f"Cannot read the config file {path}: {error.strerror}.") from None
    return parse_config(text, str(path))
