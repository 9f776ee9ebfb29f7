"""The console in a browser, for a facilitator's projector: textual-serve serves a page with a
terminal (xterm.js) and starts one process of the command for each browser connection, with
Textual's web driver (TEXTUAL_DRIVER, see ui/web_driver.py) talking to the page over a
websocket. Nothing authenticates the browser: loopback unless the caller says otherwise."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import shlex
import signal
import socket
import sys
from collections.abc import Callable
from contextlib import suppress

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from lee_console.listening import claim_port

Say = Callable[[str], None]
_WILDCARDS = ("0.0.0.0", "::", "")
QUIT_SECONDS = 10.0  # how long Ctrl-C waits for the browsers' consoles to quit


def serve_in_browser(
    command: list[str],
    host: str,
    port: int,
    title: str,
    say: Say,
    port_option: str = "--serve",
) -> int:
    """Serve ``command`` (its arguments quoted for the shell here) on ``host:port`` (0: a free
    port, printed) until Ctrl-C or SIGTERM; 0. A busy port is a PortUnavailable (one line,
    exit 2) before anything starts; ``port_option`` names the flag in that line. ``title``
    completes "Serving TITLE at URL" and names the page."""
    listener = claim_port(host, port, port_option)
    bound = listener.getsockname()
    url = f"http://{_url_host(host, bound[0])}:{bound[1]}"
    lines = [f"Serving {title} at {url} — open it in a browser; Ctrl-C stops serving."]
    if not ipaddress.ip_address(bound[0]).is_loopback:
        lines.append(
            f"{host or bound[0]} is not loopback: anyone who can reach {url} can drive the "
            "console (there is no authentication)."
        )
    _ConsoleServer(shlex.join(command), listener, title, url, say, lines).serve()
    return 0


def _url_host(asked: str, bound: str) -> str:
    """The host to put in the URL: the name asked for, this machine's name for a wildcard
    address (0.0.0.0 is no address a browser elsewhere can open), brackets for IPv6."""
    host = socket.gethostname() if asked in _WILDCARDS else asked
    return f"[{host}]" if ":" in host else host


class _ConsoleServer(Server):
    """textual-serve's server on a socket already claimed, quiet: our one line instead of its
    logo, no access log, its own warnings and errors one line each on stderr."""

    def __init__(
        self,
        command: str,
        listener: socket.socket,
        title: str,
        url: str,
        say: Say,
        ready_lines: list[str],
    ) -> None:
        host, port = listener.getsockname()[:2]
        super().__init__(command, host=host, port=port, title=title, public_url=url)
        self.listener = listener
        self.say = say
        self.ready_lines = ready_lines
        self.sessions: dict[web.WebSocketResponse, asyncio.Event] = {}  # set once it ended

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("lee-console: %(message)s"))
        log = logging.getLogger("textual-serve")
        log.handlers[:] = [handler]
        log.setLevel(logging.WARNING)
        log.propagate = False

    async def on_startup(self, app: web.Application) -> None:
        """Where to go, said once Ctrl-C and SIGTERM stop serving (textual-serve prints its
        logo here)."""
        for line in self.ready_lines:
            self.say(line)

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl-C or SIGTERM: close every browser's websocket first, so that each console is
        told to quit (textual-serve's own path when a tab closes) and its process has ended
        before the server does. Left to aiohttp, a SIGTERM took 10 s and left them running."""
        sessions = dict(self.sessions)
        await asyncio.gather(
            *(websocket.close(code=WSCloseCode.GOING_AWAY) for websocket in sessions),
            return_exceptions=True,
        )
        with suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(ended.wait() for ended in sessions.values())), QUIT_SECONDS
            )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler (server.py 1.1.x), with each websocket kept in
        ``self.sessions`` while its console runs."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: _ConsoleProcess | None = None

        async def close() -> None:
            await websocket.close()

        ended = self.sessions[websocket] = asyncio.Event()
        try:
            await websocket.prepare(request)
            app_service = _ConsoleProcess(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            logging.getLogger("textual-serve").error("a browser session failed: %s", error)
        finally:
            try:
                if app_service is not None:
                    await app_service.stop()
            finally:
                self.sessions.pop(websocket, None)
                ended.set()
        return websocket

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        # The page tells the browser where to open the websocket: at the address the browser
        # reached us by (for 0.0.0.0 no fixed address is right for every browser).
        self.public_url = f"{request.scheme}://{request.host}"
        response: web.StreamResponse = await super().handle_index(request)
        return response

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                sock=self.listener,
                handle_signals=False,
                loop=loop,
                print=None,
                access_log=None,
                shutdown_timeout=5,
            )
        finally:
            self.listener.close()


class _ConsoleProcess(AppService):
    """textual-serve's process of the command for one browser, whose stop also waits for the
    process to exit (textual-serve waits for its output to end; the process may take a moment
    more, and the server's event loop must outlive it)."""

    async def stop(self) -> None:
        await super().stop()
        if self._process is not None:
            with suppress(TimeoutError):
                await asyncio.wait_for(self._process.wait(), QUIT_SECONDS)
