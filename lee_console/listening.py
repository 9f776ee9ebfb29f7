"""A TCP port to serve on, claimed before a server starts, with a busy port said in one line:
the drill sandbox (`sandbox serve --port`, sandbox/options.py) and the console served to a
browser (ui/web.py). Beside the layers, like hangup.py: the sandbox may not import ui/ and the
pure core/ does no I/O."""

from __future__ import annotations

import errno
import socket

from lee_console.core.errors import LeeError


class PortUnavailable(LeeError):
    """The port cannot be listened on (in use, or not ours to take)."""


def claim_port(host: str, port: int, port_option: str) -> socket.socket:
    """A socket bound to ``host:port`` (0: a free port, the socket names it) and listening, so
    that a browser that connects before the server has started waits instead of being refused.
    ``port_option`` names the flag in the error (``--port``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except OSError as exc:
        listener.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortUnavailable(
                f"Port {port} on {host} is already in use; "
                f"choose another with {port_option}, or {port_option} 0 for a free one."
            ) from None
        raise PortUnavailable(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    return listener


def check_port_free(host: str, port: int, port_option: str) -> None:
    """Raise PortUnavailable if ``host:port`` (not 0) cannot be listened on right now."""
    if port:
        claim_port(host, port, port_option).close()
