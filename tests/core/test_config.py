"""The TOML config: defaults, parse errors that name the file, and flags that override it."""

from __future__ import annotations

from pathlib import Path

import pytest

from lee_console.core.config import EXAMPLE, Config, parse_config
from lee_console.core.errors import ConfigError
from lee_console.store.config_file import load_config

SOURCE = "/home/op/.config/lee-console/config.toml"


def test_example_parses_to_what_it_says() -> None:
    config = parse_config(EXAMPLE, SOURCE)
    assert config == Config(
        profile="prod-dr",
        region="us-east-1",
        tables=("lee-devices", "lee-users", "lee-sessions"),
        min_coverage_days=30,
        rto_target_minutes=60,
        rto_clock="damage",
        read_only=False,
        export_bucket="lee-pitr-exports",
    )


def test_rto_clock_must_be_damage_or_detection() -> None:
    with pytest.raises(ConfigError, match="rto_clock must be one of damage, detection"):
        parse_config('rto_clock = "restore"\n', SOURCE)


def test_empty_file_gives_defaults() -> None:
    config = parse_config("", SOURCE)
    assert config == Config()
    assert config.min_coverage_days == 30.0
    assert config.rto_target_minutes == 60
    assert config.read_only is False
    assert config.tables == ()


def test_float_threshold_and_endpoint() -> None:
    config = parse_config('min_coverage_days = 7.5\nendpoint_url = "http://127.0.0.1:1"', SOURCE)
    assert config.min_coverage_days == 7.5
    assert config.endpoint_url == "http://127.0.0.1:1"


def test_syntax_error_names_the_file_and_the_place() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config('region = "us-east-1"\nprofile "x"\n', SOURCE)
    message = caught.value.message
    assert message.startswith(SOURCE + ": ")
    assert "line 2" in message
    assert caught.value.exit_code == 2


def test_unknown_key_is_named_with_the_known_keys() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config("regoin = 'us-east-1'\n", SOURCE)
    message = caught.value.message
    assert SOURCE in message
    assert "'regoin'" in message
    assert "region" in message and "min_coverage_days" in message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("min_coverage_days = 'thirty'", ["min_coverage_days", "int or float", "'thirty'"]),
        ("min_coverage_days = true", ["min_coverage_days", "int or float"]),
        ("rto_target_minutes = 60.5", ["rto_target_minutes", "int"]),
        ("read_only = 'yes'", ["read_only", "bool"]),
        ("tables = 'lee-devices'", ["tables", "list"]),
        ("region = 1", ["region", "str"]),
    ],
)
def test_wrong_type_names_the_key_and_the_type(text: str, words: list[str]) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, SOURCE)
    assert SOURCE in caught.value.message
    for word in words:
        assert word in caught.value.message


def test_tables_must_be_names() -> None:
    with pytest.raises(ConfigError, match="list of table names"):
        parse_config("tables = ['lee-devices', 3]", SOURCE)


def test_flags_override_and_none_means_not_given() -> None:
    config = parse_config(EXAMPLE, SOURCE)
    merged = config.with_overrides(region="eu-west-1", profile=None, read_only=True, tables=None)
    assert merged.region == "eu-west-1"
    assert merged.profile == "prod-dr"
    assert merged.read_only is True
    assert merged.tables == ("lee-devices", "lee-users", "lee-sessions")
    assert config.region == "us-east-1"  # the original is untouched


def test_load_config_without_a_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "missing.toml") == Config()


def test_load_config_reads_the_file_and_names_it_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('region = "eu-central-1"\n', encoding="utf-8")
    assert load_config(path).region == "eu-central-1"
    path.write_text("bogus = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path)):
        load_config(path)


def test_unreadable_config_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Cannot read the config file"):
        load_config(tmp_path)  # a directory: exists, but cannot be read as a file


def test_a_number_beyond_a_float_is_out_of_range_not_a_crash() -> None:
    big = "9" * 400  # TOML reads it as an int; math.isfinite overflowed on it
    with pytest.raises(ConfigError) as caught:
        parse_config(f"min_coverage_days = {big}", SOURCE)
    assert caught.value.message == f"{SOURCE}: min_coverage_days must be from 0 to 365, not {big}."


def test_nesting_too_deep_for_the_toml_reader_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config("profile = " + "[" * 5000 + "]" * 5000, SOURCE)
    assert caught.value.message == (
        f"{SOURCE}: nested too deep to be a config file; `lee-console config example` prints one."
    )


def test_a_config_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'profile = "caf\xe9"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.message == (
        f"{path}: not UTF-8 text; the config file is TOML (`lee-console config example`)."
    )
