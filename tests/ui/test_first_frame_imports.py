"""Nothing the console imports before its first frame imports boto3 (ui/connecting.py): the
CLI, the app and the dashboard mounted and drawn, while the session is still being built. Run
in a fresh interpreter: in this one, other tests have imported boto3 long ago."""

from __future__ import annotations

import subprocess
import sys

MOUNT_WITHOUT_SESSION = """
import asyncio, sys, threading
import lee_console.cli
from lee_console.core.config import Config
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.connecting import ConnectingSource
from lee_console.ui.screens.dashboard import DashboardScreen

never = threading.Event()
def connect():
    never.wait(30)
    raise SystemExit("not connected in this test")

source = ConnectingSource(connect, read_only=False, is_sandbox=True, journal=None, where="x")
app = LeeConsoleApp(source, Config())

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, DashboardScreen) and "Loading tables" in str(
                app.screen.query_one("#dashboard-status").render()
            ):
                break
        drawn = isinstance(app.screen, DashboardScreen)
        print("drawn" if drawn else "not drawn", "boto3" if "boto3" in sys.modules else "-")
        never.set()

asyncio.run(main())
"""


def test_the_dashboard_is_drawn_without_importing_boto3() -> None:
    run = subprocess.run(
        [sys.executable, "-c", MOUNT_WITHOUT_SESSION], capture_output=True, text=True, timeout=60
    )
    assert run.stdout.splitlines()[0] == "drawn -", (run.stdout, run.stderr[-2000:])
