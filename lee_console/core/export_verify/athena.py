"""``verify-athena.sql``: the same comparison for Amazon Athena over the two exports in S3, for
tables too large for one machine, and the ``aws athena`` command that runs it. Nothing here
calls Athena."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from datetime import datetime

from lee_console.core.export_verify.compile import compile_rules
from lee_console.core.export_verify.dialect import ATHENA
from lee_console.core.export_verify.query import items_select, summary_select
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc


def athena_table_name(table: str, side: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", f"lee_verify_{side}_{table}".lower())


def external_table(name: str, data_location: str) -> str:
    """An external table over an export's ``data/`` folder: one ``Item`` string per line
    (the JSON SerDe hands the nested DynamoDB JSON over as text, read with json_extract)."""
    return (
        f"CREATE EXTERNAL TABLE IF NOT EXISTS {name} (Item string)\n"
        "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
        f"LOCATION '{data_location}';"
    )


def athena_sql(
    table: str,
    against: str,
    restored_location: str,
    live_location: str,
    key_names: Sequence[str],
    rules: RuleSet,
    now: datetime,
) -> str:
    """The file: two CREATE EXTERNAL TABLE statements and the comparison query (one row)."""
    compiled = compile_rules(rules, now, ATHENA)
    restored, live = athena_table_name(table, "restored"), athena_table_name(against, "live")
    inexact = [rule.name for rule in compiled.rules if not rule.exact]
    notes = [
        f"-- lee-console verify {table} --against {against} --via export",
        f"-- Rules: {rules.table or 'none'} from {rules.source}; not_future compares with",
        f"-- {format_utc(now)} (the verify's start plus an allowance for writes made while it",
        "-- ran). The same predicates as the DuckDB run, in Athena's dialect; items are",
        "-- compared by their exported text (one exporter wrote both the same way).",
    ]
    if inexact:
        notes.append(
            "-- Decided in Python locally, approximated here (timestamp shapes other than "
            "ISO-8601 to the second or epoch; Java regular expressions): " + "; ".join(inexact)
        )
    query = (
        f"WITH r AS (\n{items_select(restored, key_names, compiled, ATHENA)}\n),\n"
        f"l AS (\n{items_select(live, key_names, compiled, ATHENA)}\n)\n"
        f"{summary_select(key_names, compiled)};"
    )
    return "\n".join(
        [
            *notes,
            "",
            external_table(restored, restored_location),
            "",
            external_table(live, live_location),
            "",
            query,
            "",
        ]
    )


def athena_commands(sql_file: str, output_location: str, database: str = "default") -> list[str]:
    """One ``aws athena start-query-execution`` line per statement of the file, in order (Athena
    runs one statement per call): the two CREATE EXTERNAL TABLEs, then the comparison, whose
    result row is read with ``aws athena get-query-results --query-execution-id ID``."""
    return [
        "aws athena start-query-execution "
        f"--query-execution-context Database={shlex.quote(database)} "
        f"--result-configuration OutputLocation={shlex.quote(output_location)} "
        f"--query-string \"$(awk -v RS=';\\n' 'NR=={number}' {shlex.quote(sql_file)})\""
        for number in (1, 2, 3)
    ]
