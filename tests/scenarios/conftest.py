"""The three incidents of the decision record, end to end against the sandbox: each test drives
lee-console (headless in-process, or the TUI with Pilot) through a recovery and compares the
outcome with the scenario's ground truth (the sandbox's --truth-file).

One sandbox per scenario module (state shared where the tests do not disturb each other); each
test has its own state dir, config file and incident journal."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/scenarios: scenario_helpers
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: sandbox_process
from scenario_helpers import SLOW_PUTS_AFTER, Sandbox, scenario_sandbox

ITEMS = 300  # devices per scenario: enough damage to count, quick to scan


@pytest.fixture(autouse=True)
def hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No credentials, config or state of the machine; UTC for every local time."""
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
    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(tmp_path / "lee-state"))
    monkeypatch.setenv("LEE_CONSOLE_CONFIG", str(tmp_path / "lee-config.toml"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def start(
    factory: pytest.TempPathFactory,
    scenario: str,
    restore_seconds: float,
    restore_lag: float,
    latency_ms: float = 0.0,
    faults: str = "",
) -> Iterator[Sandbox]:
    yield from scenario_sandbox(
        factory,
        scenario,
        restore_seconds=restore_seconds,
        restore_lag=restore_lag,
        items=ITEMS,
        latency_ms=latency_ms,
        faults=faults,
    )


@pytest.fixture(scope="module")
def accidental_delete(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from start(tmp_path_factory, "accidental-delete", restore_seconds=0.3, restore_lag=0)


@pytest.fixture(scope="module")
def bad_deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from start(tmp_path_factory, "bad-deployment", restore_seconds=0.3, restore_lag=0)


@pytest.fixture(scope="module")
def gradual_corruption(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from start(tmp_path_factory, "gradual-corruption", restore_seconds=0.5, restore_lag=0)


@pytest.fixture(scope="module")
def bad_deployment_slow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """For the TUI: AWS-like restore lag (the latest restorable second is a minute ago)."""
    yield from start(tmp_path_factory, "bad-deployment", restore_seconds=1, restore_lag=60)


@pytest.fixture(scope="module")
def accidental_delete_tui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A second accidental-delete sandbox: the TUI test restores lee-devices itself."""
    yield from start(tmp_path_factory, "accidental-delete", restore_seconds=1, restore_lag=0)


@pytest.fixture(scope="module")
def bad_deployment_secrets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A bad-deployment sandbox of its own: the secrets test plants fake secrets in it."""
    yield from start(tmp_path_factory, "bad-deployment", restore_seconds=0.3, restore_lag=0)


@pytest.fixture(scope="module")
def bad_deployment_slow_puts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """After the first 30 PutItems, 8 answer 30 s late (their writes land at once): a repair
    is caught between writing items and journaling their batch, however loaded the machine."""
    yield from start(
        tmp_path_factory,
        "bad-deployment",
        restore_seconds=0.3,
        restore_lag=0,
        faults=f"latency@PutItem,ms=30000,after={SLOW_PUTS_AFTER},count=8",
    )


@pytest.fixture(scope="module")
def bad_deployment_faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """Faults are set by each test through the sandbox's /_lee/faults; restores take 20 s, so
    an outage can begin while one is still CREATING."""
    yield from start(tmp_path_factory, "bad-deployment", restore_seconds=20, restore_lag=0)
