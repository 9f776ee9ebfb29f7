"""The comparison of two full exports in DuckDB, an embedded columnar engine: it reads the
gzipped DynamoDB JSON lines in place, keeps its tables in a database file in a private temp
folder and spills to it past ``memory_limit``. Only counts, samples and the damaged items'
keys come back to Python.

Memory: DuckDB's own is capped by ``memory_limit`` and fills it as the tables grow (its buffer
pool caches the tables' blocks, the joins' hash tables spill past it), so it is flat once the
tables outgrow the limit: at 128MB, from about 300,000 items of the sandbox's. What grows
after that is per damaged item (about 105 bytes each, see :func:`diff`).

``duckdb`` is imported here, and this module only by ``verify --via export`` (and the bench and
tests): ``import lee_console.cli`` must not pay for it.
"""

from __future__ import annotations

import heapq
import json
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lee_console.core.diff import DEFAULT_SAMPLE, Change, Key
from lee_console.core.export_verify.compile import CompiledRules, compile_rules
from lee_console.core.export_verify.dialect import DUCKDB, literal
from lee_console.core.export_verify.query import (
    fails,
    items_select,
    join_on,
    key_columns,
    undecided,
    verdict_columns,
)
from lee_console.core.export_verify.summary import DiffCounts
from lee_console.core.export_verify.wire import plain_item, plain_key
from lee_console.core.rules import RuleSet
from lee_console.core.scan_diff.entries import CompactEntries
from lee_console.core.verify import RuleCount, TableCheck
from lee_console.core.wire_hash import wire_item_hash, wire_key_text
from lee_console.store.private import private_dir

if TYPE_CHECKING:
    import duckdb

# Low enough that DuckDB reaches it at modest tables, high enough to load an export file.
# verify_export_files' peak RSS at 100,000 / 300,000 / 1,000,000 sandbox items: 189 / 279 /
# 329 MiB at 200MB (DuckDB filling its cap), 208 / 244 / 255 at 128MB. 64MB ran out on the
# sandbox's 10,000-item files; 100MB on one 130,000-item file of 1 KB items, which 128MB and
# 200MB load (such a file of 3 or 4 KB items runs out of both).
MEMORY_LIMIT = "128MB"
_BATCH = 2048


@contextmanager
def engine(work_dir: Path, memory_limit: str = MEMORY_LIMIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection whose database and spill files live in ``work_dir`` (created 0700),
    deleted with everything in it afterwards."""
    import duckdb

    folder = private_dir(work_dir)
    try:
        con = duckdb.connect(str(folder / "verify.duckdb"))
        try:
            con.execute(f"SET memory_limit = {literal(memory_limit)}")
            con.execute(f"SET temp_directory = {literal(str(folder / 'spill'))}")
            con.execute("SET preserve_insertion_order = false")
            yield con
        finally:
            con.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def json_source(files: Sequence[Path]) -> str:
    """A DuckDB table function over export data files (gzipped JSON lines ``{"Item": ...}``)."""
    listing = ", ".join(literal(str(f)) for f in files)
    return (
        f"read_json([{listing}], format = 'newline_delimited', columns = {{'Item': 'JSON'}}, "
        "compression = 'gzip')"
    )


def load(
    con: duckdb.DuckDBPyConnection,
    name: str,
    source: str | Sequence[Path],
    key_names: Sequence[str],
    rules: RuleSet,
    compiled: CompiledRules,
    now: datetime,
) -> int:
    """Table ``name`` (keys, item text, verdicts) from ``source`` (export data files, loaded one
    at a time, or a SQL source with an ``Item`` column); the verdicts SQL leaves
    undecided are decided by ``rules`` in Python. Returns how many items needed that."""
    sources = [source] if isinstance(source, str) else [json_source([f]) for f in source]
    if not sources:
        sources = ["(SELECT CAST(NULL AS JSON) AS Item WHERE FALSE)"]  # an empty table's export
    for number, one in enumerate(sources):  # a file at a time: memory stays within the limit
        select = items_select(one, key_names, compiled, DUCKDB)
        if number == 0:
            con.execute(f"CREATE TABLE {name} AS {select}")
        else:
            con.execute(f"INSERT INTO {name} {select}")
    if compiled.exact:
        return 0
    keys = key_columns(key_names)
    cursor = con.execute(f"SELECT {', '.join(keys)}, item FROM {name} WHERE {undecided(compiled)}")
    con_fix = con.cursor()
    verdicts = verdict_columns(compiled)
    con_fix.execute(
        f"CREATE TEMP TABLE fix_{name} ({', '.join(f'{k} VARCHAR' for k in keys)}, "
        f"{', '.join(f'{v} BOOLEAN' for v in verdicts)})"
    )
    decided = 0
    placeholders = ", ".join("?" for _ in [*keys, *verdicts])
    while rows := cursor.fetchmany(_BATCH):
        batch = []
        for row in rows:
            broken = {v.rule for v in rules.check(plain_item(row[-1]), now)}
            batch.append([*row[:-1], *(rule.name in broken for rule in rules.rules)])
        con_fix.executemany(f"INSERT INTO fix_{name} VALUES ({placeholders})", batch)
        decided += len(rows)
    if decided:
        assignments = ", ".join(f"{v} = f.{v}" for v in verdicts)
        matched = " AND ".join(f"{name}.{k} = f.{k}" for k in keys)
        con.execute(f"UPDATE {name} SET {assignments} FROM fix_{name} AS f WHERE {matched}")
    return decided


def _sort_key(keys: Sequence[str], table: str = "") -> str:
    prefix = f"{table}." if table else ""
    scalars = [
        f"coalesce(json_extract_string({prefix}{k}, '$.S'), json_extract_string({prefix}{k}, "
        f"'$.N'), json_extract_string({prefix}{k}, '$.B'))"
        for k in keys
    ]
    return f"[{', '.join(scalars)}]"


def _smallest(keys: list[Key], count: int) -> tuple[Key, ...]:
    return tuple(heapq.nsmallest(count, keys, key=lambda k: tuple(str(p) for p in k)))


def table_check(
    con: duckdb.DuckDBPyConnection,
    name: str,
    table: str,
    key_names: Sequence[str],
    rules: RuleSet,
    compiled: CompiledRules,
    now: datetime,
    sample: int = DEFAULT_SAMPLE,
) -> TableCheck:
    """The TableCheck of loaded table ``name`` (``table`` is the DynamoDB table's name)."""
    keys = key_columns(key_names)
    order = _sort_key(keys)
    selects = ["count(*)", f"count_if({fails(compiled)})"]
    for v in verdict_columns(compiled):
        selects += [
            f"count_if({v})",
            f"min_by([{', '.join(keys)}], {order}, {max(1, sample)}) FILTER (WHERE {v})",
            f"arg_min(item, {order}) FILTER (WHERE {v})",
        ]
    row = con.execute(f"SELECT {', '.join(selects)} FROM {name}").fetchone()
    assert row is not None
    counts = []
    for i, rule in enumerate(rules.rules):
        count, lowest, example = row[2 + 3 * i : 5 + 3 * i]
        if not count:
            continue
        problem = rule.problem(plain_item(example), now) or rule.name
        counts.append(
            RuleCount(
                rule=rule.name,
                count=int(count),
                sample_keys=_smallest([plain_key(list(k)) for k in lowest], sample),
                example=problem,
            )
        )
    return TableCheck(
        table=table,
        key_names=tuple(key_names),
        items=int(row[0]),
        violating_items=int(row[1]),
        rules=tuple(counts),
        rule_set="" if rules.empty else rules.table,
        rules_source=rules.source,
    )


def diff(
    con: duckdb.DuckDBPyConnection,
    restored: str,
    live: str,
    key_names: Sequence[str],
    compiled: CompiledRules,
    sample: int = DEFAULT_SAMPLE,
) -> DiffCounts:
    """The diff of loaded tables ``r`` and ``l``: counts and samples in SQL, the pairs whose
    text differs compared in Python with core.diff's canonical hash (streamed). Only damaged
    keys are kept, compactly (about 105 bytes each, as the scan's diff keeps them)."""
    keys = key_columns(key_names)
    k0 = keys[0]
    width = len(keys)
    joined = f"r FULL OUTER JOIN l ON {join_on(key_names)}"
    r_fails, l_fails = fails(compiled, "r"), fails(compiled, "l")
    row = con.execute(
        f"SELECT count(r.{k0}), count(l.{k0}), count_if(r.{k0} IS NOT NULL AND l.{k0} IS NOT NULL "
        f"AND r.item = l.item) FROM {joined}"
    ).fetchone()
    assert row is not None
    restored_items, live_items, same_text = (int(x) for x in row)
    entries = CompactEntries(key_names)
    tallies = {change: 0 for change in Change}
    lowest: dict[Change, list[Key]] = {change: [] for change in Change}

    def keep(change: Change, key: Key) -> None:
        tallies[change] += 1
        heap = lowest[change]
        heap.append(key)
        if len(heap) > 4 * max(sample, 1):
            lowest[change] = list(_smallest(heap, sample))

    def key_text(parts: Sequence[str]) -> str:
        return wire_key_text(dict(zip(key_names, map(json.loads, parts), strict=True)), key_names)

    side_r = ", ".join(f"r.{k}" for k in keys)
    side_l = ", ".join(f"l.{k}" for k in keys)
    on = join_on(key_names)
    # Removed: damaged when the restored item passes (its digest then, as the scan has it);
    # added: never damaged (nothing restored to put back), only counted and sampled.
    cursor = con.execute(
        f"SELECT {side_r}, CASE WHEN NOT {r_fails} THEN r.item END FROM r ANTI JOIN l ON {on}"
    )
    while rows := cursor.fetchmany(_BATCH):
        for row in rows:
            keep(Change.REMOVED, plain_key(list(row[:width])))
            if row[width] is not None:
                restored_side = (_digest(row[width]), True)
                entries.add(key_text(row[:width]), Change.REMOVED, restored_side, None)
    cursor = con.execute(f"SELECT {side_l} FROM l ANTI JOIN r ON {on}")
    while rows := cursor.fetchmany(_BATCH):
        for row in rows:
            keep(Change.ADDED, plain_key(list(row)))
    unchanged = same_text
    cursor = con.execute(
        f"SELECT {side_r}, r.item, l.item, NOT {r_fails}, NOT {l_fails} FROM r JOIN l ON {on} "
        "WHERE r.item <> l.item"
    )
    while rows := cursor.fetchmany(_BATCH):
        for row in rows:
            old, new = _digest(row[width]), _digest(row[width + 1])
            if old == new:
                unchanged += 1
                continue
            keep(Change.CHANGED, plain_key(list(row[:width])))
            restored_passes, live_passes = bool(row[width + 2]), bool(row[width + 3])
            if restored_passes and not live_passes:  # KeyDiff.damaged
                entries.add(
                    key_text(row[:width]),
                    Change.CHANGED,
                    (old, restored_passes),
                    (new, live_passes),
                )
    return DiffCounts(
        restored=restored,
        live=live,
        key_names=tuple(key_names),
        restored_items=restored_items,
        live_items=live_items,
        unchanged=unchanged,
        entries=entries,
        sample_size=sample,
        tallies={change.value: n for change, n in tallies.items()},
        lowest={change.value: _smallest(keys_, sample) for change, keys_ in lowest.items()},
    )


def _digest(text: str) -> bytes:
    """core.diff.item_hash of an export's item text (wire JSON: binaries in base64)."""
    return wire_item_hash(json.loads(text))


__all__ = ["compile_rules", "diff", "engine", "json_source", "load", "table_check"]
