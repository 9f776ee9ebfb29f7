"""The one TIME parser: every accepted form, truncation to the second, and the error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from lee_console.core.errors import InvalidInput, TimeParseError
from lee_console.core.timeparse import (
    format_relative,
    format_utc,
    parse_time,
    parse_time_detailed,
)

NOW = datetime(2025, 2, 14, 11, 33, 7, 654321, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected", "assumed_utc"),
    [
        ("2025-02-14T11:22:00Z", datetime(2025, 2, 14, 11, 22, tzinfo=UTC), False),
        ("2025-02-14T12:22:00+01:00", datetime(2025, 2, 14, 11, 22, tzinfo=UTC), False),
        ("2025-02-14T06:22:00-05:00", datetime(2025, 2, 14, 11, 22, tzinfo=UTC), False),
        ("2025-02-14T11:22:00", datetime(2025, 2, 14, 11, 22, tzinfo=UTC), True),
        ("2025-02-14 11:22:00", datetime(2025, 2, 14, 11, 22, tzinfo=UTC), True),
        ("  2025-02-14T11:22:00Z  ", datetime(2025, 2, 14, 11, 22, tzinfo=UTC), False),
        ("1739532120", datetime(2025, 2, 14, 11, 22, tzinfo=UTC), False),
    ],
)
def test_absolute_forms(text: str, expected: datetime, assumed_utc: bool) -> None:
    parsed, assumed = parse_time_detailed(text, NOW)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)
    assert assumed is assumed_utc


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("-11m", timedelta(minutes=11)),
        ("-2h30m", timedelta(hours=2, minutes=30)),
        ("now-5m", timedelta(minutes=5)),
        ("NOW - 5m", timedelta(minutes=5)),
        ("-1d", timedelta(days=1)),
        ("-90s", timedelta(seconds=90)),
        ("now", timedelta(0)),
    ],
)
def test_relative_forms_count_back_from_now_to_the_second(text: str, back: timedelta) -> None:
    parsed, assumed = parse_time_detailed(text, NOW)
    assert parsed == (NOW - back).replace(microsecond=0)
    assert assumed is False


@pytest.mark.parametrize(
    "text", ["2025-02-14T11:22:00.987Z", "1739532120.987", "2025-02-14T11:22:00.000001"]
)
def test_fractions_are_truncated_to_the_second(text: str) -> None:
    parsed = parse_time(text, NOW)
    assert parsed == datetime(2025, 2, 14, 11, 22, tzinfo=UTC)
    assert parsed.microsecond == 0


def test_result_is_utc_even_when_now_is_in_another_zone() -> None:
    now_cet = NOW.astimezone(timezone(timedelta(hours=1)))
    parsed = parse_time("-11m", now_cet)
    assert parsed.tzinfo == UTC
    assert parsed == datetime(2025, 2, 14, 11, 22, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["garbage", "", "   ", "-5x", "yesterday", "12345", "2025-02-30T00:00:00Z", "+5m"]
)
def test_unreadable_time_lists_the_accepted_forms(text: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_time(text, NOW)
    message = caught.value.message
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.exit_code == 2
    for form in ("ISO-8601", "epoch seconds", "-11m", "-2h30m", "now-5m", "no zone means UTC"):
        assert form in message
    assert "\n" not in message


def test_unreadable_time_is_quoted_in_the_message() -> None:
    with pytest.raises(TimeParseError, match="'garbage'"):
        parse_time("garbage", NOW)


def test_format_utc() -> None:
    moment = datetime(2025, 2, 14, 12, 22, 0, 999999, tzinfo=timezone(timedelta(hours=1)))
    assert format_utc(moment) == "2025-02-14T11:22:00Z"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=42), "42 s ago"),
        (timedelta(minutes=24, seconds=5), "24 min ago"),
        (timedelta(hours=3, minutes=7), "3 h 7 min ago"),
        (timedelta(days=3, hours=2), "3 d 2 h ago"),
        (-timedelta(minutes=5), "5 min from now"),
    ],
)
def test_format_relative(delta: timedelta, text: str) -> None:
    assert format_relative(NOW - delta, NOW) == text
