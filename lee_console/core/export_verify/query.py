"""The comparison as SQL: each table's items with their key, their text and one verdict column
per rule (``v0``...), and the summary of two such tables (counts, per-rule violations, the
diff restored -> live, damaged items).

The same text serves DuckDB (over the downloaded files) and Athena (over the S3 export), in
their dialects. Items are compared by their DynamoDB JSON text: equal text is equal content.
The engine checks each pair whose text differs with core.diff's canonical hash, so 5 and 5.0,
or another attribute order, are not counted as changed; the Athena query counts text
differences (one exporter writes both exports the same way, so in practice they agree).
"""

from __future__ import annotations

from collections.abc import Sequence

from lee_console.core.export_verify.compile import CompiledRules
from lee_console.core.export_verify.dialect import Dialect


def key_columns(key_names: Sequence[str]) -> list[str]:
    return [f"k{i}" for i in range(len(key_names))]


def verdict_columns(compiled: CompiledRules) -> list[str]:
    return [f"v{i}" for i in range(len(compiled.rules))]


def items_select(
    source: str, key_names: Sequence[str], compiled: CompiledRules, dialect: Dialect
) -> str:
    """``SELECT k0.., item, v0.. FROM source``; ``source`` yields an ``Item`` JSON column."""
    if not dialect.athena:
        return _duckdb_items_select(source, key_names, compiled, dialect)
    keys = [
        f"{dialect.text(dialect.member('Item', name))} AS k{i}" for i, name in enumerate(key_names)
    ]
    paths = [f"{sql} AS {alias}" for alias, sql in compiled.columns]
    verdicts = [f"{rule.predicate} AS v{i}" for i, rule in enumerate(compiled.rules)]
    inner = ", ".join(["Item", *keys, *paths])
    item = "Item AS item" if dialect.athena else "CAST(Item AS VARCHAR) AS item"
    outer = ", ".join([*key_columns(key_names), item, *verdicts])
    return f"SELECT {outer}\nFROM (SELECT {inner} FROM {source}) AS paths"


def _duckdb_items_select(
    source: str, key_names: Sequence[str], compiled: CompiledRules, dialect: Dialect
) -> str:
    """items_select for DuckDB: the keys and every member-path column read by one multi-path
    ``json_extract`` (a list, ``j``), so each item is parsed once. A ``json_extract`` per
    column cost more memory: loading one 10,000-item export file with the shipped rules' 18
    columns peaked 110 MiB above the start against 60 for the list, and 3 files in one
    statement ran out of a 200MB limit where the list read 10."""
    paths = [dialect.path([name]) for name in key_names]
    columns = []
    for (alias, sql), member in zip(compiled.columns, compiled.members, strict=True):
        if member is None:
            columns.append(f"{sql} AS {alias}")
        else:
            paths.append(member)
            columns.append(f"j[{len(paths)}] AS {alias}")
    keys = [f"{dialect.text(f'j[{i + 1}]')} AS k{i}" for i in range(len(key_names))]
    inner = ", ".join(["Item", *keys, *columns])
    verdicts = [f"{rule.predicate} AS v{i}" for i, rule in enumerate(compiled.rules)]
    outer = ", ".join([*key_columns(key_names), "CAST(Item AS VARCHAR) AS item", *verdicts])
    extract = f"SELECT Item, json_extract(Item, [{', '.join(paths)}]) AS j FROM {source}"
    return f"SELECT {outer}\nFROM (SELECT {inner} FROM ({extract}) AS items) AS paths"


def fails(compiled: CompiledRules, table: str = "") -> str:
    """The item breaks at least one rule (every verdict decided)."""
    prefix = f"{table}." if table else ""
    columns = [f"{prefix}{c}" for c in verdict_columns(compiled)]
    return f"coalesce({' OR '.join(columns)}, FALSE)" if columns else "FALSE"


def undecided(compiled: CompiledRules) -> str:
    columns = verdict_columns(compiled)
    return " OR ".join(f"{c} IS NULL" for c in columns) if columns else "FALSE"


def join_on(key_names: Sequence[str]) -> str:
    return " AND ".join(f"r.{k} = l.{k}" for k in key_columns(key_names))


def summary_select(key_names: Sequence[str], compiled: CompiledRules) -> str:
    """One row: each table's items and violating items, each rule's count in each, and the
    diff (added, removed, changed by text, unchanged, damaged = restored passes and live
    fails or is gone), over tables/views ``r`` (restored) and ``l`` (live)."""
    k0 = key_columns(key_names)[0]
    both = f"r.{k0} IS NOT NULL AND l.{k0} IS NOT NULL"
    columns = [
        f"count(r.{k0}) AS restored_items",
        f"count(l.{k0}) AS live_items",
        f"count_if(r.{k0} IS NOT NULL AND {fails(compiled, 'r')}) AS restored_violating",
        f"count_if(l.{k0} IS NOT NULL AND {fails(compiled, 'l')}) AS live_violating",
    ]
    for i, rule in enumerate(compiled.rules):
        label = rule.name.replace('"', "'")
        columns.append(f'count_if(r.v{i}) AS "restored: {label}"')
        columns.append(f'count_if(l.v{i}) AS "live: {label}"')
    columns += [
        f"count_if(r.{k0} IS NULL) AS added",
        f"count_if(l.{k0} IS NULL) AS removed",
        f"count_if({both} AND r.item <> l.item) AS changed",
        f"count_if({both} AND r.item = l.item) AS unchanged",
        f"count_if(r.{k0} IS NOT NULL AND NOT {fails(compiled, 'r')} AND (l.{k0} IS NULL OR "
        f"(r.item <> l.item AND {fails(compiled, 'l')}))) AS damaged",
    ]
    body = ",\n  ".join(columns)
    return f"SELECT\n  {body}\nFROM r FULL OUTER JOIN l ON {join_on(key_names)}"
