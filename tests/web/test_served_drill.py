"""`lee-console drill --serve`: the drill starts, and its console is served to a real headless
chromium (a facilitator's projector): the page (the drill's brief) shows first, enter goes to
the dashboard with the DRILL line, and `drill finish` afterwards scores the drill played there."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from headless_browser import CHROMIUM, DevTools, Page, headless_chromium, kill_group
from test_served_console import hermetic_env

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Debian's chromium (.ci/run installs it)"
)
SERVING = re.compile(r"^Serving the drill console at (http://\S+) — open it in a browser")


@pytest.fixture
def devtools() -> Iterator[str]:
    with headless_chromium() as url:
        yield url


def test_a_drill_served_to_a_browser(devtools: str, tmp_path: Path) -> None:
    env = hermetic_env(tmp_path)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "lee_console", "drill", "--serve", "--scenario",
             "bad-deployment", "--participant", "ann", "--items", "300", "--live-writes", "0"],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )  # fmt: skip
    try:
        url = wait_for_url(server, log)

        async def steps() -> None:
            async with aiohttp.ClientSession() as http:
                browser = await DevTools.connect(http, devtools)
                try:
                    page: Page = await browser.new_page()
                    await page.call("Page.navigate", url=url)
                    await page.wait_for("PAGE", "Support tickets", timeout=40)
                    await page.evaluate("window.__leeTerminal.focus()")
                    await page.press("enter")
                    await page.wait_for("DRILL", "ann", "lee-devices", timeout=30)
                    await page.press("h")
                    await page.wait_for("costs 3 points", timeout=15)
                    await page.press("y")
                    await page.wait_for("Hint 1:", timeout=15)
                finally:
                    await browser.close()

        asyncio.run(asyncio.wait_for(steps(), 90))
    except BaseException:
        print(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        kill_group(server)
    finished = subprocess.run(
        [sys.executable, "-m", "lee_console", "drill", "finish", "--json"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    card = json.loads(finished.stdout)
    assert card["participant"] == "ann" and card["hints_used"] == 1  # the hint taken in the tab


def wait_for_url(server: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            found = SERVING.match(line)
            if found:
                return found.group(1)
        if server.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"no 'Serving ...' line:\n{log.read_text(errors='replace')}")
