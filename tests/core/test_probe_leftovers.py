"""Leftover probes: the fold over the incident journals (journaled as starting, never as
deleted, wherever the deletion was journaled) and the check of a DescribeTable answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lee_console.core.findgood import is_probe_name, probe_name
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.probe_leftovers import StartedProbe, is_that_probe, undeleted_probes

T0 = datetime(2025, 2, 14, 11, 0, tzinfo=UTC)
POINT = datetime(2025, 2, 14, 10, 30, tzinfo=UTC)
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/lee-devices"
PROBE = probe_name("lee-devices", POINT)  # lee-devices-probe-20250214T103000Z


def starting(target: str = PROBE, search: str = "fg-1", minute: int = 0, **extra: Any) -> Any:
    data = {
        "table": "lee-devices",
        "target": target,
        "restore_point": "2025-02-14T10:30:00Z",
        "round": 1,
        "search_id": search,
        "source_arn": ARN,
        "pid": 4242,
        "host": "bastion",
        **extra,
    }
    return JournalEvent(Kind.PROBE_STARTING, T0 + timedelta(minutes=minute), data)


def outcome(target: str = PROBE, search: str | None = "fg-1", deleted: bool | None = True) -> Any:
    data: dict[str, Any] = {"table": "lee-devices", "target": target, "deleted": deleted}
    if search is not None:
        data["search_id"] = search
    return JournalEvent(Kind.PROBE, T0 + timedelta(minutes=5), data)


def test_a_probe_started_and_never_settled_is_a_candidate_with_its_fields() -> None:
    (found,) = undeleted_probes({"drill-a": [starting()]})
    assert found == StartedProbe(
        incident="drill-a",
        search_id="fg-1",
        table="lee-devices",
        target=PROBE,
        started_at=T0,
        restore_point=POINT,
        source_arn=ARN,
        pid=4242,
        host="bastion",
    )
    assert PROBE in found.line() and "fg-1" in found.line() and "drill-a" in found.line()
    assert found.delete_command == f"aws dynamodb delete-table --table-name {PROBE}"


@pytest.mark.parametrize("deleted", [True, None])
def test_deleted_or_never_created_settles_it(deleted: bool | None) -> None:
    """deleted true: gone; null: that run created no table (its restore was refused)."""
    assert undeleted_probes({"a": [starting(), outcome(deleted=deleted)]}) == []


def test_left_on_purpose_stays_a_candidate() -> None:
    """deleted false: a second Ctrl-C or the cleanup deadline left it."""
    assert [p.target for p in undeleted_probes({"a": [starting(), outcome(deleted=False)]})] == [
        PROBE
    ]


def test_a_deletion_journaled_in_another_incident_settles_it() -> None:
    """A rerun may journal into a new incident: the fold reads them all, in any order."""
    journals = {"adhoc-2": [outcome()], "adhoc-1": [starting()]}
    assert undeleted_probes(journals) == []


def test_the_same_name_in_another_search_is_another_probe() -> None:
    """Only the outcome of its own search settles a probe (names repeat across searches of
    the same point)."""
    events = [starting(search="fg-1"), starting(search="fg-2", minute=1), outcome(search="fg-2")]
    (left,) = undeleted_probes({"a": events})
    assert left.search_id == "fg-1"


def test_an_outcome_without_a_search_id_settles_every_probe_of_that_name() -> None:
    events = [starting(search="fg-1"), starting(search="fg-2", minute=1), outcome(search=None)]
    assert undeleted_probes({"a": events}) == []


def test_oldest_first_and_unreadable_events_skipped() -> None:
    other = probe_name("lee-devices", POINT + timedelta(minutes=7))
    events = [
        starting(other, minute=3),
        starting(minute=1),
        starting("x", search=""),  # no search id
        JournalEvent(Kind.PROBE_STARTING, T0, {"table": "lee-devices", "search_id": "fg-9"}),
        starting("y", restore_point="not a time", pid="4242", minute=9),
    ]
    found = undeleted_probes({"a": events})
    assert [p.target for p in found] == [PROBE, other, "y"]
    assert (found[2].restore_point, found[2].pid) == (None, None)


def test_probe_names() -> None:
    assert is_probe_name(PROBE, "lee-devices")
    assert is_probe_name(f"{PROBE}-2", "lee-devices")
    assert not is_probe_name(PROBE, "lee-device")
    assert not is_probe_name("lee-devices", "lee-devices")
    assert not is_probe_name("lee-devices-restored-20250214T103000Z", "lee-devices")
    assert not is_probe_name(f"{PROBE}x", "lee-devices")
    assert is_probe_name("a.b-probe-20250214T103000Z", "a.b")
    assert not is_probe_name("aXb-probe-20250214T103000Z", "a.b")  # the dot is literal


def described(name: str = PROBE, source: str | None = ARN) -> dict[str, Any]:
    table: dict[str, Any] = {"TableName": name, "TableStatus": "CREATING"}
    if source is not None:
        table["RestoreSummary"] = {"SourceTableArn": source, "RestoreInProgress": True}
    return table


def test_only_a_restore_of_the_journaled_source_under_a_probe_name_is_that_probe() -> None:
    (probe,) = undeleted_probes({"a": [starting()]})
    assert is_that_probe(described(), probe)
    assert not is_that_probe(described(source=None), probe)  # not a restore
    other_account = "arn:aws:dynamodb:us-east-1:999999999999:table/lee-devices"
    assert not is_that_probe(described(source=other_account), probe)
    assert not is_that_probe(described(name="lee-users"), probe)
    (unnamed,) = undeleted_probes({"a": [starting("lee-devices-copy")]})
    assert not is_that_probe(described(name="lee-devices-copy"), unnamed)


def test_without_a_journaled_arn_the_source_name_must_match() -> None:
    (probe,) = undeleted_probes({"a": [starting(source_arn=None)]})
    assert is_that_probe(described(), probe)
    assert not is_that_probe(described(source=ARN.replace("lee-devices", "lee-users")), probe)


def test_the_outcome_of_a_later_cleanup() -> None:
    (probe,) = undeleted_probes({"a": [starting()]})
    data = probe.outcome(True)
    assert data["deleted"] is True and data["leftover"] is True
    assert (data["search_id"], data["target"], data["restore_point"]) == (
        "fg-1", PROBE, "2025-02-14T10:30:00Z",
    )  # fmt: skip
    settled = JournalEvent(Kind.PROBE, T0, data)
    assert undeleted_probes({"a": [starting()], "b": [settled]}) == []
