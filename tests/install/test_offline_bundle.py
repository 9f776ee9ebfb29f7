"""The bastion install: the offline bundle (scripts/offline-bundle.sh) installs into a fresh
virtual environment with pip's index switched off, without the sandbox, and the installed
console reads a sandbox's tables; without the sandbox extra, `--sandbox` says how to get it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from sandbox_process import running_sandbox

ROOT = Path(__file__).resolve().parents[2]


def test_the_offline_bundle_installs_without_an_index(tmp_path: Path) -> None:
    built = subprocess.run(
        ["bash", str(ROOT / "scripts" / "offline-bundle.sh"), str(tmp_path / "dist")],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHON": sys.executable},
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    bundle = Path(built.stdout.strip().splitlines()[-1])
    with tarfile.open(bundle) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    [folder] = (tmp_path / "unpacked").iterdir()
    wheels = {path.name.split("-")[0].lower() for path in (folder / "wheelhouse").iterdir()}
    assert {"lee_console", "boto3", "textual", "duckdb"} <= wheels
    assert "moto" not in wheels  # a bastion needs no sandbox

    [ours] = (folder / "wheelhouse").glob("lee_console-*.whl")
    names = zipfile.ZipFile(ours).namelist()
    assert "lee_console/rules/lee-devices.toml" in names and "lee_console/py.typed" in names
    assert not [name for name in names if name.startswith("tests/")]

    home = tmp_path / "home"
    offline = {
        **os.environ,
        "HOME": str(home),
        "PYTHON": sys.executable,
        "PIP_NO_INDEX": "1",
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",  # nothing listens there
        "PIP_EXTRA_INDEX_URL": "",
        "PIP_FIND_LINKS": "",
        "PIP_CONFIG_FILE": os.devnull,
    }
    prefix = tmp_path / "lee-console"
    installed = subprocess.run(
        ["bash", str(folder / "install.sh"), str(prefix)],
        capture_output=True, text=True, timeout=600, env=offline,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-2000:]
    assert installed.stdout.strip() == "lee-console 0.1.0"
    console = home / ".local" / "bin" / "lee-console"
    assert console.resolve() == (prefix / "bin" / "lee-console").resolve()

    state = {**offline, "LEE_CONSOLE_STATE_DIR": str(tmp_path / "state"),
             "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}  # fmt: skip
    with running_sandbox(items=30) as (url, _):
        status = subprocess.run(
            [str(console), "status", "--json", "--endpoint-url", url, "--region", "us-east-1"],
            capture_output=True, text=True, timeout=120, env=state,
        )  # fmt: skip
    assert status.returncode == 0, status.stderr
    tables = json.loads(status.stdout)["tables"]
    assert sorted(t["name"] for t in tables) == ["lee-devices", "lee-sessions", "lee-users"]

    no_sandbox = subprocess.run(
        [str(console), "--sandbox", "status"], capture_output=True, text=True, timeout=60, env=state
    )
    assert no_sandbox.returncode == 2
    assert no_sandbox.stderr == (
        "lee-console: The sandbox is not installed (it needs moto): install "
        "lee-console[sandbox], e.g. pip install 'lee-console[sandbox]'.\n"
    )
