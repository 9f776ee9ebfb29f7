"""A real headless browser for tests (Debian's chromium), driven over the Chrome DevTools
Protocol with aiohttp's websocket client, and the screen of textual-serve's terminal read as
text.

textual-serve's page (textual.js, 1.1.x) draws with xterm.js on a canvas or WebGL, so there is
no text in the DOM, and it keeps its xterm Terminal in a closure. A script run before the page's
own (Page.addScriptToEvaluateOnNewDocument) puts a setter for `terminal` on Object.prototype:
textual.js's `this.terminal = new Terminal(...)` goes through it, which keeps the Terminal in
`window.__leeTerminal`. The screen is then read from xterm's own buffer (`buffer.active`,
`translateToString`): the characters xterm draws, row by row.

Every wait has a deadline and fails with what the screen showed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = "/usr/bin/chromium"
DEVTOOLS_LINE = re.compile(r"DevTools listening on (ws://\S+)")

KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && typeof value.write === "function" && "buffer" in value) {
      window.__leeTerminal = value;
    }
  },
});
"""

SCREEN = """
(() => {
  const terminal = window.__leeTerminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()
"""

# Input.dispatchKeyEvent parameters for the keys the tests press.
KEYS: dict[str, dict[str, Any]] = {
    "?": {"key": "?", "code": "Slash", "text": "?", "windowsVirtualKeyCode": 191, "modifiers": 8},
    "q": {"key": "q", "code": "KeyQ", "text": "q", "windowsVirtualKeyCode": 81},
    "escape": {"key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27},
    "enter": {"key": "Enter", "code": "Enter", "text": "\r", "windowsVirtualKeyCode": 13},
    "h": {"key": "h", "code": "KeyH", "text": "h", "windowsVirtualKeyCode": 72},
    "y": {"key": "y", "code": "KeyY", "text": "y", "windowsVirtualKeyCode": 89},
}


@contextlib.contextmanager
def headless_chromium(timeout: float = 20.0) -> Iterator[str]:
    """Start chromium headless with its own profile; yield its DevTools websocket URL. It is
    killed (its whole process group) on the way out, whatever happened."""
    with tempfile.TemporaryDirectory(prefix="lee-chromium-") as profile:
        log_path = Path(profile) / "stderr.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                    f"--user-data-dir={profile}/data", "--window-size=1200,800",
                    "--no-first-run", "--no-default-browser-check", "about:blank",
                ],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                start_new_session=True,
            )  # fmt: skip
        try:
            yield _devtools_url(process, log_path, timeout)
        finally:
            kill_group(process)


def _devtools_url(process: subprocess.Popen[bytes], log_path: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        found = DEVTOOLS_LINE.search(text)
        if found:
            return found.group(1)
        if process.poll() is not None:
            raise AssertionError(f"chromium exited {process.returncode}:\n{text[-2000:]}")
        time.sleep(0.05)
    raise AssertionError(
        f"chromium said no 'DevTools listening on' within {timeout} s:\n"
        f"{log_path.read_text(errors='replace')[-2000:]}"
    )


def kill_group(process: subprocess.Popen[Any], grace: float = 5.0) -> None:
    """SIGTERM the process's group (it was started in a session of its own), SIGKILL what is
    left after ``grace`` seconds."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(grace)


class DevTools:
    """One DevTools websocket to the browser; pages are flattened sessions on it."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, http: aiohttp.ClientSession, devtools_url: str) -> DevTools:
        return cls(await http.ws_connect(devtools_url, max_msg_size=0))

    async def _read(self) -> None:
        async for message in self.socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = message.json()
            future = self._waiting.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(AssertionError("the DevTools connection closed"))

    async def call(
        self, method: str, session_id: str = "", timeout: float = 10.0, **params: Any
    ) -> dict[str, Any]:
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params}
        if session_id:
            message["sessionId"] = session_id
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[message_id] = future
        await self.socket.send_json(message)
        try:
            answer = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise AssertionError(f"DevTools gave no answer to {method} in {timeout} s") from None
        if "error" in answer:
            raise AssertionError(f"DevTools {method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    async def new_page(self) -> Page:
        """A new tab, with the script that keeps textual.js's terminal installed."""
        target = await self.call("Target.createTarget", url="about:blank")
        attached = await self.call(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True
        )
        page = Page(self, attached["sessionId"], target["targetId"])
        await page.call("Page.enable")
        # Each tab behaves as the focused one (keys reach it, textual.js sees no blur).
        await page.call("Emulation.setFocusEmulationEnabled", enabled=True)
        await page.call("Page.addScriptToEvaluateOnNewDocument", source=KEEP_TERMINAL)
        return page

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self.socket.close()


class Page:
    """One browser tab."""

    def __init__(self, devtools: DevTools, session_id: str, target_id: str) -> None:
        self.devtools = devtools
        self.session_id = session_id
        self.target_id = target_id

    async def call(self, method: str, timeout: float = 10.0, **params: Any) -> dict[str, Any]:
        return await self.devtools.call(method, self.session_id, timeout, **params)

    async def close_tab(self) -> None:
        await self.devtools.call("Target.closeTarget", targetId=self.target_id)

    async def evaluate(self, expression: str) -> Any:
        answer = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in answer:
            raise AssertionError(f"page script failed: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    async def screen(self) -> str:
        """The terminal's rows as text ('' before the terminal exists)."""
        return str(await self.evaluate(SCREEN) or "")

    async def wait_for(self, *texts: str, gone: bool = False, timeout: float = 20.0) -> str:
        """The screen once it shows every one of ``texts`` (or, ``gone``, none of them)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = await self.screen()
            shown = [text in screen for text in texts]
            if (not any(shown)) if gone else all(shown):
                return screen
            await asyncio.sleep(0.1)
        what = "still shows" if gone else "does not show"
        raise AssertionError(f"after {timeout} s the page {what} {texts!r}; its screen:\n{screen}")

    async def press(self, key: str) -> None:
        params = KEYS[key]
        down = "keyDown" if "text" in params else "rawKeyDown"
        await self.call("Input.dispatchKeyEvent", type=down, **params)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **params)

    async def screenshot(self, path: Path) -> Path:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
