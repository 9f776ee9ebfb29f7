"""Fixtures for the headless commands: a hermetic environment, sandbox servers in subprocesses,
and a runner for `lee_console.cli.main` in-process."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run, boto_client

from lee_console.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared helper
from sandbox_process import running_sandbox


@pytest.fixture(autouse=True)
def hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No real credentials, profile, config or state dir: every test runs on tmp paths.
    Returns the config file path (which does not exist until a test writes it)."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    home = tmp_path / "aws-home"
    home.mkdir()
    (home / "config").write_text("")
    (home / "credentials").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    config = tmp_path / "lee-config" / "config.toml"
    monkeypatch.setenv("LEE_CONSOLE_CONFIG", str(config))
    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(tmp_path / "lee-state"))
    return config


@pytest.fixture(scope="session")
def pristine_url() -> Iterator[str]:
    """Scenario none, AWS-like 5-minute restore lag. Tests must not change it: status on it
    must stay healthy."""
    with running_sandbox("none", restore_seconds=1, restore_lag=300, items=50) as (url, _):
        yield url


@pytest.fixture(scope="session")
def lab_url() -> Iterator[str]:
    """Scenario none, no restore lag, 1-second restores: for tests that change things."""
    with running_sandbox("none", restore_seconds=1, restore_lag=0, items=50) as (url, _):
        yield url


@pytest.fixture
def pristine(pristine_url: str) -> Any:
    return boto_client(pristine_url)


@pytest.fixture
def lab(lab_url: str) -> Any:
    return boto_client(lab_url)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run lee-console in-process: cli("status", "--json", url=...)."""

    def run(*args: str, url: str | None = None) -> Run:
        argv = [*args, "--endpoint-url", url] if url else list(args)
        capsys.readouterr()
        code = main(argv)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
