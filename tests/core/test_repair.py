"""Repair planning: what is damaged, deleted items, resuming from the journal, the write
condition, skip reasons and the totals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from lee_console.core.diff import DiffBuilder, DiffReport, item_hash
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.repair import (
    SKIP_APPEARED,
    SKIP_CHANGED,
    SKIP_GONE,
    SKIP_RESTORED_FAILS,
    BatchOutcome,
    RepairTarget,
    ResumeState,
    key_token,
    plan_repair,
    resume_state,
    skip_reason,
    tally,
    unchanged_condition,
)
from lee_console.core.rules import Rule, RuleSet

RULES = RuleSet("t", (Rule("v", ("v",), required=True, range=(0, 100)),))
NOW = datetime(2025, 2, 14, tzinfo=UTC)


def item(pk: str, v: Any, **extra: Any) -> dict[str, Any]:
    return {"pk": pk, "v": v, **extra}


def diff_of(restored: list[Mapping[str, Any]], live: list[Mapping[str, Any]]) -> DiffReport:
    builder = DiffBuilder("t-restored", "t", ("pk",))
    for it in restored:
        builder.add_restored((it["pk"],), item_hash(it), RULES.passes(it, NOW))
    for it in live:
        builder.add_live((it["pk"],), item_hash(it), RULES.passes(it, NOW))
    return builder.finish()


RESTORED = [item("a", 1), item("b", 2), item("c", 3), item("d", 4), item("e", 5)]
LIVE = [
    item("a", 1),  # unchanged
    item("b", 999),  # damaged
    item("c", 30),  # legitimate change
    # d: deleted (by the damage or by a user)
    item("e", -1),  # damaged
    item("f", 6),  # added after the restore point
]


def test_damaged_is_restored_passes_live_fails_and_deletions_are_not_written_by_default() -> None:
    plan = plan_repair(diff_of(RESTORED, LIVE))
    assert [t.key for t in plan.targets] == [("b",), ("e",)]
    assert all(not t.deleted for t in plan.targets)
    assert plan.deleted_in_live == (("d",),)
    assert plan.counts() == {
        "damaged": 2,
        "would_repair": 2,
        "already_repaired": 0,
        "already_skipped": 0,
        "deleted_in_live": 1,
        "legit_writes_after": 3,  # c changed, d deleted, f added
    }
    with_deleted = plan_repair(diff_of(RESTORED, LIVE), restore_deleted=True)
    assert [t.key for t in with_deleted.targets] == [("b",), ("d",), ("e",)]
    assert with_deleted.targets[1].deleted and with_deleted.legit_writes_after == 2
    assert plan.to_json()["sample_deleted_in_live"] == [{"pk": "d"}]


def test_restored_item_failing_the_rules_is_not_damage() -> None:
    plan = plan_repair(diff_of([item("a", 500)], [item("a", 700)]))
    assert plan.targets == () and plan.damaged == 0


def batch_event(keys: list[str], skipped: tuple[str, ...] = (), **data: Any) -> JournalEvent:
    return JournalEvent(
        Kind.REPAIR_BATCH,
        NOW,
        {
            "live": "t",
            "restored": "t-restored",
            "keys": [{"pk": k} for k in keys],
            "skipped_keys": [{"key": {"pk": k}, "reason": SKIP_CHANGED} for k in skipped],
            **data,
        },
    )


def test_resume_leaves_out_keys_done_and_counts_still_add_up() -> None:
    events = [
        batch_event(["x"]),
        JournalEvent(
            Kind.REPAIR_FINISHED, NOW, {"live": "t", "restored": "t-restored", "complete": True}
        ),
        batch_event(["b"], ("zz",)),
        batch_event(["q"], live="other"),
    ]
    resume = resume_state(events, "t", "t-restored")
    assert resume.repaired == {key_token(("b",))}  # x was before a complete finish
    assert resume.skipped == {key_token(("zz",))} and resume.batches == 1
    # the live table now: b repaired (no longer differs), zz still damaged
    restored = [*RESTORED, item("zz", 7)]
    live = [item("a", 1), item("b", 2), item("c", 30), item("e", -1), item("f", 6),
            item("zz", 700)]  # fmt: skip
    plan = plan_repair(diff_of(restored, live), resume)
    assert [t.key for t in plan.targets] == [("e",)]
    assert plan.damaged == 3  # b (earlier run), zz (skipped earlier), e
    result = tally(plan, [BatchOutcome(2, (("e",),), ())])
    assert (result.repaired, result.skipped, result.left) == (2, 1, 0)
    assert result.damaged == result.repaired + result.skipped + result.left
    assert result.complete


def test_tally_of_a_stopped_run_leaves_the_rest() -> None:
    plan = plan_repair(diff_of(RESTORED, LIVE))
    result = tally(plan, [BatchOutcome(1, (("b",),), ())], cancelled=True)
    assert (result.repaired, result.skipped, result.left) == (1, 0, 1)
    assert not result.complete and result.cancelled
    assert result.finished_data()["complete"] is False
    cutover = result.cutover_data()
    assert cutover["strategy"] == "repair" and cutover["counts"]["left"] == 1


def test_batch_journal_data() -> None:
    plan = plan_repair(diff_of(RESTORED, LIVE))
    data = BatchOutcome(3, (("b",),), ((("e",), SKIP_CHANGED),)).journal_data(plan)
    assert data == {
        "live": "t",
        "restored": "t-restored",
        "batch": 3,
        "repaired": 1,
        "skipped": 1,
        "keys": [{"pk": "b"}],
        "skipped_keys": [{"key": {"pk": "e"}, "reason": SKIP_CHANGED}],
    }
    assert plan.batches(1) == [(plan.targets[0],), (plan.targets[1],)]


def test_skip_reasons() -> None:
    live_b = item("b", 999)
    target = RepairTarget(("b",), item_hash(live_b))
    good = item("b", 2)
    assert skip_reason(target, good, live_b, RULES, NOW) is None
    assert skip_reason(target, good, item("b", 998), RULES, NOW) == SKIP_CHANGED
    assert skip_reason(target, good, None, RULES, NOW) == SKIP_GONE
    assert skip_reason(target, item("b", 500), live_b, RULES, NOW) == SKIP_RESTORED_FAILS
    gone = RepairTarget(("d",), None)
    assert skip_reason(gone, item("d", 4), None, RULES, NOW) is None
    assert skip_reason(gone, item("d", 4), item("d", 5), RULES, NOW) == SKIP_APPEARED
    # number spelling does not count as a change
    assert skip_reason(target, good, item("b", Decimal("999.0")), RULES, NOW) is None


def test_condition_compares_every_attribute_or_absence() -> None:
    seen = {"pk": "b", "v": Decimal(999), "state": {"power": "on"}}
    condition = unchanged_condition(seen, ["pk"])
    assert condition.expression == "#a0 = :v0 AND #a1 = :v1 AND #a2 = :v2"
    assert condition.names == {"#a0": "pk", "#a1": "state", "#a2": "v"}
    assert condition.values == {":v0": "b", ":v1": {"power": "on"}, ":v2": Decimal(999)}
    absent = unchanged_condition(None, ["pk", "sk"])
    assert absent.expression == "attribute_not_exists(#k0)" and absent.names == {"#k0": "pk"}
    assert absent.values == {}
    with pytest.raises(ValueError):
        unchanged_condition({f"attr{i}": i for i in range(400)}, ["attr0"])


def test_key_tokens_match_across_number_spellings() -> None:
    assert key_token(("a", Decimal("5"))) == key_token(("a", 5))
    assert key_token((b"\x01",)) == key_token(("AQ==",))  # bytes keys come back base64 from JSON
    assert ResumeState().done == frozenset()
