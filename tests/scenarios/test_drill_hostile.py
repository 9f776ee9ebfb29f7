"""A drill in the wrong state, against real drill sandboxes: each is one line on stderr and exit
2, no sandbox is left behind, and a drill once scored is neither lost nor scored twice.
(Hostile arguments that need no sandbox: tests/cli/test_cli_drill_hostile_input.py.)"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lee_console.cli import main
from lee_console.store.drills import (
    current_drill,
    result_saved,
    results_dir,
    save_result,
    starting_drill,
)
from lee_console.store.paths import state_dir

SMALL = ["--items", "100", "--restore-seconds", "1", "--live-writes", "0"]


class Said:
    def __init__(self, code: int, err: str) -> None:
        self.code = code
        self.lines = err.strip().splitlines()


Runner = Callable[..., Said]


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Runner]:
    monkeypatch.setenv("LEE_CONSOLE_DATA_DIR", str(tmp_path / "lee-data"))

    def runner(*args: str) -> Said:
        capsys.readouterr()
        code = main(list(args))
        return Said(code, capsys.readouterr().err)

    yield runner
    if current_drill(state_dir()) is not None:
        main(["drill", "finish"])


def alive(pid: int) -> bool:
    """Running (a sandbox started in this process that ended is reaped, not a zombie)."""
    with contextlib.suppress(OSError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def recorded_pid() -> int:
    return int(json.loads((state_dir() / "sandbox.json").read_text())["pid"])


def test_a_drill_start_killed_while_seeding_leaves_no_sandbox_behind(run: Runner) -> None:
    env = dict(os.environ)
    starting = subprocess.Popen(
        [sys.executable, "-m", "lee_console", "drill", "start", "--items", "200000",
         "--live-writes", "0"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while not (state_dir() / "sandbox.json").exists():  # recorded while it seeds
        assert time.monotonic() < deadline and starting.poll() is None
        time.sleep(0.05)
    orphan = recorded_pid()
    starting.send_signal(signal.SIGKILL)
    starting.wait()
    assert alive(orphan)  # still seeding, its parent gone

    assert run("drill", "start", *SMALL).code == 0
    assert not alive(orphan)  # the next start stopped it
    record = current_drill(state_dir())
    assert record is not None and record.sandbox_pid != orphan
    assert Path(record.truth_path).name == f"live-{record.incident}.json"  # a file of its own


def test_a_second_start_while_one_starts_is_refused(run: Runner) -> None:
    with starting_drill(state_dir()):
        said = run("drill", "start", *SMALL)
    assert said.code == 2
    assert said.lines == [
        "lee-console: Another `lee-console drill start` is starting a drill right now; "
        "`lee-console drill open` returns to it once it has started."
    ]
    assert current_drill(state_dir()) is None and not (state_dir() / "sandbox.json").exists()


def test_a_drill_whose_truth_is_gone_is_closed_unscored_not_left_running(run: Runner) -> None:
    assert run("drill", "start", *SMALL).code == 0
    record = current_drill(state_dir())
    assert record is not None
    Path(record.truth_path).unlink()
    said = run("drill", "finish")
    assert said.code == 2
    assert said.lines == [
        f"lee-console: Cannot read the ground truth of drill {record.incident}, "
        f"{record.truth_path} (No such file or directory): the drill cannot be scored and was "
        "closed unscored (its journal stays for `lee-console report`). `lee-console drill "
        "start` starts a new one."
    ]
    assert current_drill(state_dir()) is None and not alive(record.sandbox_pid)
    assert not result_saved(record.incident)
    assert run("drill", "start", *SMALL).code == 0  # not stuck


def test_a_drill_scored_in_a_console_that_was_then_killed_is_not_scored_again(
    run: Runner,
) -> None:
    assert run("drill", "start", *SMALL).code == 0
    record = current_drill(state_dir())
    assert record is not None
    # What the score screen saved before the console was killed (before it ended the drill).
    card = {"participant": "ann", "total": 93, "max_total": 100}
    json_path, md_path = save_result(record.incident, card, "# Drill\n")
    said = run("drill", "finish")
    assert said.code == 2
    assert said.lines == [
        f"lee-console: Drill {record.incident} was already scored when its incident was closed "
        f"(the card: {md_path}); it is over now. `lee-console drill results` ranks it."
    ]
    assert json.loads(json_path.read_text()) == card  # not scored again
    assert current_drill(state_dir()) is None and not alive(record.sandbox_pid)
    assert sorted(p.name for p in results_dir().iterdir()) == [json_path.name, md_path.name]


def test_a_killed_sandbox_closes_the_drill_unscored_in_one_line(run: Runner) -> None:
    assert run("drill", "start", *SMALL).code == 0
    record = current_drill(state_dir())
    assert record is not None
    os.kill(record.sandbox_pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive(record.sandbox_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    said = run("drill", "finish")
    assert said.code == 2
    assert said.lines == [
        f"lee-console: The sandbox of drill {record.incident} is gone (its process ended); the "
        "drill was closed unscored. `lee-console drill start` starts a new one."
    ]
    assert run("drill", "finish").lines == [
        "lee-console: No drill is running; `lee-console drill start` starts one."
    ]


def test_a_state_dir_that_cannot_be_written_is_refused_before_anything_starts(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("LEE_CONSOLE_DATA_DIR", str(blocked / "data"))  # under a file
    assert run("drill", "start", *SMALL).code == 0  # start saves none
    said = run("drill", "finish")
    assert said.code == 2
    assert said.lines == [
        f"lee-console: Cannot write {blocked / 'data' / 'drills'}: point XDG_DATA_HOME or "
        "LEE_CONSOLE_DATA_DIR at a folder you can write; the drill was left as it is."
    ]
    record = current_drill(state_dir())
    assert record is not None and alive(record.sandbox_pid)  # the drill goes on, unscored
    monkeypatch.setenv("LEE_CONSOLE_DATA_DIR", str(tmp_path / "lee-data"))
    assert run("drill", "finish").code == 0
    assert result_saved(record.incident)
