"""Whether this console draws in a browser: textual-serve (ui/web.py) starts each process with
TEXTUAL_DRIVER naming Textual's web driver, which Textual reads at import
(textual.constants.DRIVER) and which then talks to the page through stdin and stdout (pipes,
not a terminal). Kept apart from ui/web.py so that asking costs no aiohttp import."""

from __future__ import annotations

import os

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def drawn_in_browser() -> bool:
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER
