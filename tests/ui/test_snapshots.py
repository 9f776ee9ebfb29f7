"""SVG snapshots of the main screens on sample data, at 80x24 and 120x40.

Each test also writes its picture to screenshots/<screen>-<W>x<H>.svg (the README shows them),
so screenshots/ is current whenever the tests run. The clock, the local zone and the data are
fixed: the files are byte-identical from run to run and machine to machine.

Update the snapshots after an intended change: ``pytest tests/ui --snapshot-update``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sample_source import EARLIER_RESTORE, LARGE, SMALL, FixedClock, SampleSource, make_app
from textual.pilot import Pilot
from ui_helpers import dashboard_loaded, wait_until

from lee_console.core.journal import Kind
from lee_console.store.journal_file import Journal
from lee_console.ui.screens.help import HelpScreen
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.screens.restore_progress import RestoreProgressScreen
from lee_console.ui.widgets.timeline import Timeline

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
TARGET = "lee-devices-restored-20250214T112200Z"

Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def dashboard(pilot: Pilot[Any]) -> None:
    await dashboard_loaded(pilot)


async def dashboard_on_a_restore(pilot: Pilot[Any]) -> None:
    """The restore beneath lee-devices highlighted: the detail line names it in full."""
    await dashboard_loaded(pilot)
    await pilot.press("down")


async def timeline(pilot: Pilot[Any]) -> None:
    """The timeline as it opens: the cursor 1 min before the deployment, in the middle of the
    hour around it, where the jump in writes shows."""
    await dashboard_loaded(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen.query(Timeline), what="the timeline")


async def restore_plan(pilot: Pilot[Any]) -> None:
    await timeline(pilot)
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RestorePlanScreen))


async def restore_progress(pilot: Pilot[Any]) -> None:
    """Started, CREATING, 1 min 23 s in (the sample restore waits to be released)."""
    await restore_plan(pilot)
    await pilot.press("tab", "enter")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, RestoreProgressScreen))
    restores = app.restores.restores  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: any("poll:" in line for line in restores[TARGET].log))
    app.now.advance(83)  # type: ignore[attr-defined]
    app.screen.render_summary()  # type: ignore[attr-defined]


async def help_screen(pilot: Pilot[Any]) -> None:
    await dashboard_loaded(pilot)
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))


def _saving(name: str, size: tuple[int, int], steps: Steps) -> Steps:
    """Run ``steps``, then write what the snapshot will show to screenshots/."""

    async def run(pilot: Pilot[Any]) -> None:
        await steps(pilot)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        svg = pilot.app.export_screenshot(simplify=True)
        path = SCREENSHOTS / f"{name}-{size[0]}x{size[1]}.svg"
        if not path.exists() or path.read_text(encoding="utf-8") != svg:
            SCREENSHOTS.mkdir(exist_ok=True)
            path.write_text(svg, encoding="utf-8")

    return run


def _app(source: SampleSource | None = None) -> Any:
    # The decision record's incident, with a fixed id, so the header reads the same every run.
    journals = Path(tempfile.mkdtemp(prefix="lee-snap-")) / "journals"
    journal = Journal(journals, "adhoc-20250214T114900Z-7c2e")
    journal.append(Kind.INCIDENT_DECLARED, table="lee-devices")
    source = source or SampleSource(restore_polls=None)
    source.journal = journal
    return make_app(source, clock=FixedClock())


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    """Four tables: two healthy, one without deletion protection, one with PITR off; and a
    restore of lee-devices beneath it, without PITR (AWS does not carry it over)."""
    steps = _saving("dashboard", size, dashboard_on_a_restore)
    app = _app(SampleSource(restore_polls=None, extra_tables=(EARLIER_RESTORE,)))
    assert snap_compare(app, terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_timeline(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    """lee-devices, cursor one minute before lee-engine:43, the day around it."""
    steps = _saving("timeline", size, timeline)
    assert snap_compare(_app(), terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_restore_plan(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    """The plan for 11:22:00Z; Cancel is focused."""
    steps = _saving("restore-plan", size, restore_plan)
    assert snap_compare(_app(), terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_restore_progress(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    """The restore in progress, its log and its command."""
    steps = _saving("restore-progress", size, restore_progress)
    assert snap_compare(_app(), terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    """`?` on the dashboard."""
    steps = _saving("help", size, help_screen)
    assert snap_compare(_app(), terminal_size=size, run_before=steps)
