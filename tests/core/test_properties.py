"""Property-based: whatever the operator types, each parser either accepts it (a value in the
accepted range) or refuses it with one sentence (InvalidInput), never another exception.
About 9,500 generated cases a run (hypothesis; the CLI's argument vectors are in
tests/cli/test_cli_properties.py)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lee_console.commands.verify import parse_key
from lee_console.core.endpoint import check_endpoint
from lee_console.core.errors import InvalidInput, TimeParseError
from lee_console.core.findgood import parse_precision
from lee_console.core.names import validate_table_name
from lee_console.core.numbers import in_range, positive
from lee_console.core.rules_parse import parse_rules
from lee_console.core.timeparse import parse_time
from lee_console.store.journal_file import validate_incident_id

NOW = datetime(2026, 12, 2, 3, 59, tzinfo=UTC)


def cases(count: int) -> settings:
    """``count`` generated cases, no deadline (CI machines are slow), no example database."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )


def _one_sentence(error: InvalidInput) -> None:
    assert "\n" not in error.message and error.message.endswith((".", ")"))


ISO = r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:\d{2})?"
TIME_LIKE = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"(now)?\s*-\s*(\d{1,25}\s*[dhms]\s*){1,4}", fullmatch=True),
    st.from_regex(r"\d{9,11}(\.\d{1,6})?", fullmatch=True),
    st.from_regex(
        r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:\d{2})?", fullmatch=True
    ),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
)


@cases(2500)
@given(TIME_LIKE)
def test_the_time_parser_accepts_a_second_in_range_or_refuses(text: str) -> None:
    try:
        moment = parse_time(text, NOW)
    except TimeParseError as refused:
        _one_sentence(refused)
        assert "Accepted forms:" in refused.message
        return
    assert moment.tzinfo is not None and moment.microsecond == 0
    assert datetime(1970, 1, 1, tzinfo=UTC) <= moment < datetime(9000, 1, 1, tzinfo=UTC)


NAME_LIKE = st.one_of(
    st.text(max_size=300),
    st.from_regex(r"[A-Za-z0-9_.-]{0,300}", fullmatch=True),
)


@cases(2500)
@given(NAME_LIKE)
def test_table_names_and_incident_ids_are_accepted_whole_or_refused(name: str) -> None:
    for validate in (validate_table_name, validate_incident_id):
        try:
            assert validate(name) == name
        except InvalidInput as refused:
            _one_sentence(refused)


@cases(1500)
@given(st.one_of(st.text(max_size=30), st.from_regex(r"(\d{1,25}[dhms]){1,4}", fullmatch=True)))
def test_a_precision_is_one_second_to_35_days_or_refused(text: str) -> None:
    try:
        precision = parse_precision(text)
    except InvalidInput as refused:
        _one_sentence(refused)
        return
    assert timedelta(seconds=1) <= precision <= timedelta(days=35)


@cases(2000)
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(0, 100), st.floats(100, 1e6))
def test_numbers_are_finite_and_in_range_or_refused(value: float, low: float, high: float) -> None:
    for check in (lambda: in_range("--n", value, low, high), lambda: positive("--n", value, high)):
        try:
            accepted = check()
        except InvalidInput as refused:
            _one_sentence(refused)
            continue
        assert math.isfinite(accepted) and accepted <= high


KEYS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@cases(1000)
@given(st.one_of(KEYS.map(json.dumps), st.text(max_size=60), st.just("[" * 3000)))
def test_item_keys_are_a_json_object_or_refused(raw: str) -> None:
    try:
        key = parse_key(raw)
    except InvalidInput as refused:
        _one_sentence(refused)
        return
    assert isinstance(key, dict) and key
    assert all(not isinstance(v, float) for v in key.values())  # numbers as Decimal
    assert all(isinstance(v, int | Decimal | str | bool | list | dict) or v is None
               for v in key.values())  # fmt: skip


RULE_VALUES = st.one_of(
    st.text(max_size=10), st.integers(), st.floats(), st.booleans(),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
)  # fmt: skip
RULE_KEYS = st.sampled_from(
    ["attribute", "required", "pattern", "type", "allowed", "range", "not_future", "when", "x"]
)


def _toml_value(value: object) -> str:
    return json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else "nan"


@cases(400)
@given(
    st.text(min_size=1, max_size=12),
    st.lists(st.dictionaries(RULE_KEYS, RULE_VALUES, max_size=5), max_size=3),
    st.text(max_size=40),
)
def test_rules_files_parse_or_are_refused_naming_the_line(
    table: str, rules: list[dict[str, object]], junk: str
) -> None:
    blocks = "".join(
        f"[[{json.dumps(table)}.rule]]\n"
        + "".join(f"{k} = {_toml_value(v)}\n" for k, v in rule.items())
        for rule in rules
    )
    for text in (blocks, blocks + junk):
        try:
            parse_rules(text, "rules.toml")
        except InvalidInput as refused:
            assert "\n" not in refused.message and refused.message.startswith("rules.toml")


@cases(500)
@given(
    st.one_of(
        st.text(max_size=40), st.from_regex(r"(https?|ftp)://[^/]{0,20}(:\d{0,6})?", fullmatch=True)
    )
)
def test_endpoint_urls_are_usable_or_refused(url: str) -> None:
    try:
        assert check_endpoint(url) == url
    except InvalidInput as refused:
        _one_sentence(refused)
