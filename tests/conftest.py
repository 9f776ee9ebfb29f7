"""The suite runs on three workers (`pytest -n 3`, the README's command: much of it waits on
sandbox timers, so a third worker pays on two cores: 7 min against 10). The longest tests are
handed out first, so that no worker is left running one of them alone at the end while the
others have finished (the two-minute outage alone is 150 s)."""

from __future__ import annotations

import pytest

LONGEST_FIRST = (
    "tests/scenarios/test_faults_headless.py::test_a_restore_wait_and_a_repair_ride_out_a_two",
    "tests/scenarios/test_drill_headless.py::",
    "tests/install/test_offline_bundle.py::",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        starts = [i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)]
        return starts[0] if starts else len(LONGEST_FIRST)

    items.sort(key=rank)
