"""SVG snapshots of every screen on sample data, at 80x24 and 120x40: the dashboard here, the
others (timeline, find-good, backups, restore plan and progress, reattach, runbook, declare,
verify, settings, cutover, note, report, help, and a drill's page, hint and score card) as
tests/ui/snapshot_steps.py reaches them.

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
from snapshot_steps import SHOTS
from textual.pilot import Pilot
from ui_helpers import dashboard_loaded

from lee_console.core.journal import Kind
from lee_console.store.journal_file import Journal

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]

Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def dashboard(pilot: Pilot[Any]) -> None:
    await dashboard_loaded(pilot)


async def dashboard_on_a_restore(pilot: Pilot[Any]) -> None:
    """The restore beneath lee-devices highlighted: the detail line names it in full."""
    await dashboard_loaded(pilot)
    await pilot.press("down")


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
@pytest.mark.parametrize("name", list(SHOTS))
def test_screen(snap_compare: Callable[..., bool], name: str, size: tuple[int, int]) -> None:
    """Every screen but the dashboard, in the order of a recovery (tests/ui/snapshot_steps.py
    says what each shows)."""
    shot = SHOTS[name]
    assert snap_compare(shot.app(), terminal_size=size, run_before=_saving(name, size, shot.steps))
