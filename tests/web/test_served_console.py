"""The console served to a browser (lee_console/ui/web.py, textual-serve) and driven in a real
headless chromium over the DevTools protocol: the dashboard draws, `?` opens the help with the
keys, escape closes it, `q` quits and the console's process ends. Served here through a
test-only entry (the console has no public flag for it: `drill --serve` wires it)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from headless_browser import CHROMIUM, DevTools, Page, headless_chromium, kill_group

from lee_console.listening import PortUnavailable
from lee_console.ui.web import serve_in_browser

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Debian's chromium (.ci/run installs it)"
)

SERVE = """
import sys
from lee_console.ui.web import serve_in_browser
command = [sys.executable, "-m", "lee_console", *sys.argv[3:]]
say = lambda line: print(line, file=sys.stderr, flush=True)
sys.exit(serve_in_browser(command, sys.argv[1], int(sys.argv[2]), "the drill console", say))
"""
SERVING = re.compile(
    r"^Serving the drill console at (http://\S+) — open it in a browser; Ctrl-C stops serving\.$"
)
WHOLE_TEST_SECONDS = 60.0
Steps = Callable[[DevTools, list[Page]], Awaitable[None]]


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    log: Path  # the server's stdout and stderr


def hermetic_env(tmp_path: Path) -> dict[str, str]:
    """No real credentials, config or state: every file the console writes is under tmp."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    aws = tmp_path / "aws-home"
    aws.mkdir()
    (aws / "config").write_text("")
    (aws / "credentials").write_text("")
    env.update(
        AWS_CONFIG_FILE=str(aws / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(aws / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        LEE_CONSOLE_CONFIG=str(tmp_path / "config" / "config.toml"),
        LEE_CONSOLE_STATE_DIR=str(tmp_path / "state"),
        LEE_CONSOLE_DATA_DIR=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
    )
    env.pop("TEXTUAL_DRIVER", None)
    return env


def start_serving(env: dict[str, str], log: Path, host: str, *console_args: str) -> Served:
    """The server in a session of its own (its group is killed at the end), once it has said
    where it serves."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE, host, "0", *console_args],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            env=env, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            found = SERVING.match(line)
            if found:
                return Served(process, found.group(1), log)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    kill_group(process)
    raise AssertionError(f"the server said no 'Serving ...' line:\n{log.read_text()}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    env = hermetic_env(tmp_path)
    server = start_serving(
        env, tmp_path / "server.log", "127.0.0.1", "--sandbox", "--scenario", "none"
    )
    try:
        yield server
    finally:
        kill_group(server.process)
        # The console's --sandbox keeps its sandbox running after it quits, as it does in a
        # terminal: stop it.
        subprocess.run(
            [sys.executable, "-m", "lee_console", "sandbox", "stop"],
            env=env, capture_output=True, timeout=30, check=False,
        )  # fmt: skip


@pytest.fixture
def devtools() -> Iterator[str]:
    with headless_chromium() as url:
        yield url


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


async def wait_until(what: str, check: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout} s")


async def in_browser(devtools_url: str, shots: Path, steps: Steps) -> None:
    """``steps`` with a DevTools connection; a screenshot of every open tab if they fail."""
    async with aiohttp.ClientSession() as http:
        devtools = await DevTools.connect(http, devtools_url)
        pages: list[Page] = []
        try:
            await steps(devtools, pages)
        except BaseException:
            for number, page in enumerate(pages):
                with contextlib.suppress(Exception):
                    await asyncio.shield(page.screenshot(shots / f"failed-{number}.png"))
            raise
        finally:
            await devtools.close()


async def open_console(devtools: DevTools, pages: list[Page], url: str) -> Page:
    page = await devtools.new_page()
    pages.append(page)
    await page.call("Page.navigate", url=url)
    await page.wait_for("lee-devices", "lee-users", "lee-sessions", "3 of 3 tables", timeout=30)
    # The keys go where a click on the page would send them: xterm's input.
    await page.evaluate("window.__leeTerminal.focus()")
    return page


async def help_and_back(page: Page, shots: Path | None = None) -> None:
    await page.press("?")
    await page.wait_for("Keys: Dashboard", "r  Restore  Plan a restore", "Everywhere")
    if shots is not None:
        await page.screenshot(shots / "help.png")
    await page.press("escape")
    await page.wait_for("Keys: Dashboard", "Everywhere", gone=True)
    await page.wait_for("lee-devices", "3 of 3 tables")


async def session_ended(page: Page, timeout: float = 10) -> None:
    ended = (
        "document.body.classList.contains('-closed') && "
        "document.querySelector('.closed-dialog .message').innerText"
    )
    deadline = time.monotonic() + timeout
    while (shown := await page.evaluate(ended)) != "Session ended." and (
        time.monotonic() < deadline
    ):
        await asyncio.sleep(0.1)
    assert shown == "Session ended.", f"the page did not say the session ended: {shown!r}"


def run_in_browser(served: Served, devtools: str, shots: Path, steps: Steps) -> None:
    """Run ``steps`` within WHOLE_TEST_SECONDS; a failure shows what the server said."""
    try:
        asyncio.run(asyncio.wait_for(in_browser(devtools, shots, steps), WHOLE_TEST_SECONDS))
    except TimeoutError:
        raise AssertionError(
            f"the key path took over {WHOLE_TEST_SECONDS} s; the server said:\n"
            f"{served.log.read_text(errors='replace')[-3000:]}"
        ) from None
    except AssertionError as failure:
        raise AssertionError(
            f"{failure}\nthe server said:\n{served.log.read_text(errors='replace')[-3000:]}"
        ) from None


def test_the_served_console_draws_and_answers_keys_in_a_real_browser(
    served: Served, devtools: str, tmp_path: Path
) -> None:
    async def steps(browser: DevTools, pages: list[Page]) -> None:
        page = await open_console(browser, pages, served.url)
        await page.screenshot(tmp_path / "dashboard.png")
        assert len(children(served.process.pid)) == 1, "one tab, one console process"
        await help_and_back(page, tmp_path)
        await page.press("q")
        await wait_until(
            "the console's process ended after q",
            lambda: not children(served.process.pid),
            timeout=15,
        )
        await session_ended(page)
        assert served.process.poll() is None, "the server stopped with the console"

    run_in_browser(served, devtools, tmp_path, steps)


def test_each_tab_has_its_own_console_closing_one_ends_its_own_sigterm_ends_all(
    served: Served, devtools: str, tmp_path: Path
) -> None:
    async def steps(browser: DevTools, pages: list[Page]) -> None:
        first = await open_console(browser, pages, served.url)
        second = await open_console(browser, pages, served.url)
        two = children(served.process.pid)
        assert len(two) == 2, f"two tabs, two console processes: {two}"
        await first.close_tab()
        pages.remove(first)
        await wait_until(
            "closing a tab ended its console",
            lambda: len(children(served.process.pid)) == 1,
            timeout=15,
        )
        left = children(served.process.pid)
        assert set(left) < set(two)
        await help_and_back(second)

        # SIGTERM (or Ctrl-C) stops serving once the open tab's console has quit.
        served.process.terminate()
        code = await asyncio.to_thread(served.process.wait, 15)
        assert code == 0
        assert not [pid for pid in left if Path(f"/proc/{pid}").exists()], "a console outlived it"
        await session_ended(second)

    run_in_browser(served, devtools, tmp_path, steps)


def test_a_busy_port_is_one_line_before_anything_is_served() -> None:
    said: list[str] = []
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortUnavailable) as refused:
            serve_in_browser(["true"], "127.0.0.1", port, "the drill console", said.append)
    assert refused.value.message == (
        f"Port {port} on 127.0.0.1 is already in use; "
        "choose another with --serve, or --serve 0 for a free one."
    )
    assert refused.value.exit_code == 2
    assert said == []


def test_a_host_beyond_loopback_is_said_to_have_no_authentication(tmp_path: Path) -> None:
    """All addresses: the URL names this machine, one more line says anyone who reaches it can
    drive the console, the page sends its browser back to the address it came by, and SIGTERM
    stops serving with exit 0."""
    env = hermetic_env(tmp_path)
    log = tmp_path / "server.log"
    server = start_serving(env, log, "0.0.0.0", "--endpoint-url", "http://127.0.0.1:9")
    try:
        port = int(server.url.rsplit(":", 1)[1])
        assert server.url == f"http://{socket.gethostname()}:{port}"
        lines = log.read_text().splitlines()
        assert lines[1] == (
            f"0.0.0.0 is not loopback: anyone who can reach {server.url} can drive the console "
            "(there is no authentication)."
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            page = answer.read().decode()
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        server.process.terminate()
        assert server.process.wait(10) == 0
        assert log.read_text().splitlines() == lines, "more was said than the two lines"
    finally:
        kill_group(server.process)


def test_the_console_still_needs_a_terminal_under_any_other_driver(tmp_path: Path) -> None:
    env = {
        **hermetic_env(tmp_path),
        "TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver",
    }
    done = subprocess.run(
        [sys.executable, "-m", "lee_console", "--endpoint-url", "http://127.0.0.1:9"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("lee-console: The console needs a terminal, but stdin is not")


def test_sigterm_as_soon_as_the_line_is_said_stops_serving_with_exit_0(tmp_path: Path) -> None:
    """The line is said once Ctrl-C and SIGTERM are handled: a script that stops the server as
    soon as it has read the URL gets exit 0, not death by signal."""
    env = hermetic_env(tmp_path)
    log = tmp_path / "server.log"
    server = start_serving(env, log, "127.0.0.1", "--endpoint-url", "http://127.0.0.1:9")
    try:
        server.process.terminate()
        assert server.process.wait(10) == 0
        assert len(log.read_text().splitlines()) == 1, log.read_text()
    finally:
        kill_group(server.process)
