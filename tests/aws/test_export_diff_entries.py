"""verify --via export's diff (DuckDB over export files) against core's reference DiffBuilder
over the same items read as plain values: the same counts, samples and damaged entries, field
for field (key, change, both digests, both verdicts), for every kind of difference: removed
(passing, so damaged, and failing), added, changed into a failure, changed while failing,
changed harmlessly, text-only changes (5 vs 5.0: unchanged), a composite key with a number
and binaries in base64."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lee_console.aws.export_verify import verify_export_files
from lee_console.core.diff import Change, DiffBuilder, item_hash, key_of
from lee_console.core.export_verify.wire import plain_item
from lee_console.core.rules import Rule, RuleSet
from lee_console.core.verify import TableShape

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
KEY = (("pk", "HASH", "S"), ("sk", "RANGE", "N"))
RULES = RuleSet("t", (Rule("state", ("state",), required=True, allowed=("ok",)),))


def _item(i: int, state: str = "", n: str = "5") -> dict[str, Any]:
    return {
        "pk": {"S": f"p{i % 3}"},
        "sk": {"N": str(i)},
        "state": {"S": state or ("bad" if i % 10 == 9 else "ok")},
        "n": {"N": n},
        "b": {"B": base64.b64encode(bytes([i % 256, 7])).decode()},
    }


def _tables() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    restored = [_item(i) for i in range(60)]
    live = []
    for i in range(10, 60):  # 0-9 removed (9 failed already: not damaged)
        if i < 19:
            live.append(_item(i, state="bad"))  # damaged
        elif i == 19:
            live.append(_item(i, n="7"))  # changed, failing on both sides: not damaged
        elif i < 25:
            live.append(_item(i, n="5.0"))  # other text, same item: unchanged
        elif i < 30:
            live.append(_item(i, n="6"))  # changed, passing: not damaged
        else:
            live.append(_item(i))
    live += [_item(i, state="bad") for i in range(100, 105)]  # added
    return restored, live


def _write(path: Path, items: list[dict[str, Any]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps({"Item": item}) + "\n")
    return path


def test_export_diff_equals_the_reference_diff(tmp_path: Path) -> None:
    restored, live = _tables()
    files_r = [
        _write(tmp_path / "r0.json.gz", restored[:30]),
        _write(tmp_path / "r1.json.gz", restored[30:]),
    ]
    files_l = [_write(tmp_path / "l0.json.gz", live)]
    report = verify_export_files(
        TableShape("r", KEY),
        files_r,
        TableShape("l", KEY),
        files_l,
        RULES,
        tmp_path / "db",
        now=NOW,
    )
    reference = DiffBuilder("r", "l", ("pk", "sk"))
    for items, add in ((restored, reference.add_restored), (live, reference.add_live)):
        for wire in items:
            plain = plain_item(json.dumps(wire))
            add(key_of(plain, ("pk", "sk")), item_hash(plain), not RULES.check(plain, NOW))
    expected = reference.finish()
    assert report.diff is not None
    assert report.diff.counts() == expected.counts()
    assert report.diff.counts()["damaged"] == 9 + 9  # removed passing, changed into "bad"
    assert report.diff.damaged() == expected.damaged()  # keys, changes, digests, verdicts
    assert {e.change for e in report.diff.damaged()} == {Change.REMOVED, Change.CHANGED}
    assert report.diff.to_json() == expected.to_json()  # samples of each change too
