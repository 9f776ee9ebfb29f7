"""The suite runs on two workers (`pytest -n 2`, the README's command). The longest tests are
handed out first, so that neither worker is left running one of them alone at the end while
the other has finished (the two-minute outage alone is a quarter of the suite's time)."""

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
