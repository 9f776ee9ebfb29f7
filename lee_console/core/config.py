"""The console's defaults from a TOML file; command-line flags override them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from lee_console.core.errors import ConfigError, InvalidInput
from lee_console.core.exports.bucket import bucket_problem
from lee_console.core.names import validate_table_name
from lee_console.core.numbers import finite

EXAMPLE = """\
# lee-console defaults; every key is optional and command-line flags win.
profile = "prod-dr"
region = "us-east-1"
tables = ["lee-devices", "lee-users", "lee-sessions"]
min_coverage_days = 30
rto_target_minutes = 60
rto_clock = "damage"   # or "detection": where the report starts the RTO clock
read_only = false
export_bucket = "lee-pitr-exports"   # S3 bucket for damage, find-good and repair --from-export
"""


RTO_CLOCKS = ("damage", "detection")


@dataclass(frozen=True)
class Config:
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    tables: tuple[str, ...] = field(default_factory=tuple)
    min_coverage_days: float = 30.0
    rto_target_minutes: int = 60
    rto_clock: str | None = None  # damage | detection; None: as declared, else damage
    read_only: bool = False
    export_bucket: str | None = None  # S3 bucket the exports go to (damage, find-good, repair)

    def with_overrides(self, **overrides: Any) -> Config:
        """Flags win where they were given (None means not given)."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(self, **given)


_TYPES: dict[str, tuple[type, ...]] = {
    "profile": (str,),
    "region": (str,),
    "endpoint_url": (str,),
    "tables": (list,),
    "min_coverage_days": (int, float),
    "rto_target_minutes": (int,),
    "rto_clock": (str,),
    "read_only": (bool,),
    "export_bucket": (str,),
}


_RANGES: dict[str, tuple[float, float]] = {
    "min_coverage_days": (0, 365),
    "rto_target_minutes": (1, 7 * 24 * 60),
}


def parse_config(text: str, source: str) -> Config:
    """Parse the config file's text; ``source`` names the file in error messages."""
    import tomllib  # here: most runs have no config file, and status starts within 1.2x of a script

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: {error}.") from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise ConfigError(
            f"{source}: nested too deep to be a config file; `lee-console config example` "
            "prints one."
        ) from None
    known = {f.name for f in fields(Config)}
    values: dict[str, Any] = {}
    for key, raw in data.items():
        value: Any = raw
        if key not in known:
            raise ConfigError(
                f"{source}: unknown key {key!r}; known keys: {', '.join(sorted(known))}."
            )
        expected = _TYPES[key]
        if (isinstance(value, bool) and bool not in expected) or not isinstance(value, expected):
            names = " or ".join(kind.__name__ for kind in expected)
            raise ConfigError(f"{source}: {key} must be a {names}, not {value!r}.")
        if key == "tables":
            table_names: list[Any] = raw
            if not all(isinstance(name, str) for name in table_names):
                raise ConfigError(f"{source}: tables must be a list of table names.")
            value = tuple(table_names)
        if key == "rto_clock" and value not in RTO_CLOCKS:
            raise ConfigError(f"{source}: rto_clock must be one of {', '.join(RTO_CLOCKS)}.")
        if key == "export_bucket":
            problem = bucket_problem(value)
            if problem:
                raise ConfigError(f"{source}: export_bucket {problem}.")
        if key in _RANGES:
            low, high = _RANGES[key]
            if not (finite(value) and low <= value <= high):
                raise ConfigError(f"{source}: {key} must be from {low} to {high}, not {value}.")
        if key == "tables":
            for name in value:
                try:
                    validate_table_name(name)
                except InvalidInput as error:
                    raise ConfigError(f"{source}: tables: {error.message}") from None
        values[key] = value
    return Config(**values)
