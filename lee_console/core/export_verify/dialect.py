"""The few spellings in which DuckDB and Amazon Athena (Trino) differ, for the same query."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str  # "duckdb" or "athena"

    @property
    def athena(self) -> bool:
        return self.name == "athena"

    def member(self, json: str, name: str) -> str:
        """The JSON value of member ``name`` of ``json`` (SQL NULL when absent)."""
        return f"json_extract({json}, {self.path([name])})"

    def element(self, json: str, index: int) -> str:
        return f"json_extract({json}, '$[{index}]')"

    def path(self, names: list[str]) -> str:
        """A JSON path literal of object members, quoted whatever the names hold."""
        if self.athena:
            inner = "".join('["' + _json_quoted(n) + '"]' for n in names)
        else:
            inner = "".join('."' + _json_quoted(n) + '"' for n in names)
        return literal("$" + inner)

    def scalar(self, json: str, name: str) -> str:
        """Member ``name`` of ``json`` as text (the ``S`` of ``{"S": "x"}``)."""
        function = "json_extract_scalar" if self.athena else "json_extract_string"
        return f"{function}({json}, {self.path([name])})"

    def text(self, json: str) -> str:
        """A JSON value as its text (Athena cannot CAST an object to VARCHAR)."""
        return f"json_format({json})" if self.athena else f"CAST({json} AS VARCHAR)"

    def matches(self, text: str, pattern: str) -> str:
        function = "regexp_like" if self.athena else "regexp_matches"
        return f"{function}({text}, {literal(pattern)})"

    def valid_date(self, text: str) -> str:
        """``text`` (YYYY-MM-DD) is a real calendar date."""
        if self.athena:
            return f"try(date_parse({text}, '%Y-%m-%d')) IS NOT NULL"
        return f"try_strptime({text}, '%Y-%m-%d') IS NOT NULL"

    def double(self, value: float) -> str:
        if math.isinf(value):
            sign = "-" if value < 0 else ""
            return f"{sign}infinity()" if self.athena else f"CAST('{sign}inf' AS DOUBLE)"
        return f"CAST({literal(repr(float(value)))} AS DOUBLE)"


DUCKDB = Dialect("duckdb")
ATHENA = Dialect("athena")


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _json_quoted(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', '\\"')
