"""Python regular expressions (``re.search``) as RE2 (DuckDB's ``regexp_matches``) with the
same matches, for the subset of the syntax whose meaning both engines share once translated:
literals, ``.``, classes and ranges, ``\\d \\s \\w`` (expanded to the exact Unicode sets Python
uses), groups, ``(?:...)``, ``|``, greedy and lazy quantifiers up to 1000, ``^``, ``\\A``,
``\\Z`` and a final ``$`` (Python's ``$`` also matches before a trailing newline: ``\\n?\\z``).
Anything else (look-arounds, back references, inline flags, ``\\b``, possessive quantifiers) is
:class:`Untranslatable`, and the engine leaves that check to Python.

``athena=True`` renders for Amazon Athena (Java-style regular expressions): the class escapes
stay as written (ASCII there), which is close to Python's but not proven equal.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import cache

_MAX_REPEAT = 1000  # RE2's limit
_QUANTIFIER = re.compile(r"\{([0-9]*)(,([0-9]*))?\}")
_SIMPLE_ESCAPES = {"n": "\\n", "t": "\\t", "r": "\\r", "f": "\\f", "v": "\\v"}
_CATEGORIES = "dsw"


class Untranslatable(ValueError):
    """The pattern uses syntax whose RE2 meaning may differ from Python's."""


def translate(pattern: str, *, athena: bool = False) -> str:
    """``pattern`` (Python ``re`` syntax, no flags) as an RE2 pattern with the same matches
    under search semantics; raises Untranslatable."""
    return _Translator(pattern, athena).run()


class _Translator:
    def __init__(self, pattern: str, athena: bool) -> None:
        self.p = pattern
        self.i = 0
        self.athena = athena
        self.out: list[str] = []

    def run(self) -> str:
        while self.i < len(self.p):
            c = self.p[self.i]
            if c == "\\":
                self.out.append(self._escape_outside())
            elif c == "[":
                self.out.append(self._char_class())
                continue
            elif c == "(":
                if self.p.startswith("(?:", self.i):
                    self.out.append("(?:")
                    self.i += 3
                    continue
                if self.p.startswith("(?", self.i):
                    raise Untranslatable("(? construct")
                self.out.append("(")
            elif c in ")|^.":
                self.out.append(c)
            elif c == "$":
                if self.i != len(self.p) - 1:
                    raise Untranslatable("$ before the end of the pattern")
                self.out.append("$" if self.athena else "(?:\\n?\\z)")
            elif c in "*+?":
                self.out.append(c)
                self.i += 1
                self._lazy_or_possessive()
                continue
            elif c == "{":
                self.out.append(self._brace())
                continue
            else:
                self.out.append(_literal(c))
            self.i += 1
        return "".join(self.out)

    def _lazy_or_possessive(self) -> None:
        if self.p.startswith("?", self.i):
            self.out.append("?")
            self.i += 1
        elif self.p.startswith("+", self.i):
            raise Untranslatable("possessive quantifier")

    def _brace(self) -> str:
        match = _QUANTIFIER.match(self.p, self.i)
        if match is None or not (match.group(1) or match.group(2)):
            self.i += 1
            return "\\{"
        low = int(match.group(1) or 0)
        high = match.group(3)
        if low > _MAX_REPEAT or (high and int(high) > _MAX_REPEAT):
            raise Untranslatable("repeat over 1000")
        if high and int(high) < low:
            raise Untranslatable("bad repeat")
        self.i = match.end()
        if match.group(2) is None:
            text = f"{{{low}}}"
        elif high:
            text = f"{{{low},{int(high)}}}"
        else:
            text = f"{{{low},}}"
        self.out.append(text)
        self._lazy_or_possessive()
        return ""

    def _escape_outside(self) -> str:
        if self.i + 1 >= len(self.p):
            raise Untranslatable("trailing backslash")
        c = self.p[self.i + 1]
        self.i += 1
        if c.lower() in _CATEGORIES:
            if self.athena:
                return "\\" + c
            ranges = _ranges(c.lower())
            return ("[^" if c.isupper() else "[") + ranges + "]"
        if c == "A":
            return "\\A"
        if c == "Z":
            return "\\z"
        return self._escaped_char(c)

    def _escaped_char(self, c: str) -> str:
        if c in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[c]
        if c.isascii() and not c.isalnum():
            return "\\" + c
        raise Untranslatable(f"escape \\{c}")

    def _char_class(self) -> str:
        self.i += 1
        parts = ["["]
        if self.p.startswith("^", self.i):
            parts.append("^")
            self.i += 1
        first = True
        while True:
            if self.i >= len(self.p):
                raise Untranslatable("unterminated class")
            c = self.p[self.i]
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            if c == "\\" and self.i + 1 < len(self.p) and self.p[self.i + 1].lower() in "dsw":
                letter = self.p[self.i + 1]
                if letter.isupper():
                    raise Untranslatable("negated category inside a class")
                parts.append("\\" + letter if self.athena else _ranges(letter))
                self.i += 2
                continue
            start = self._class_char()
            if (
                self.p.startswith("-", self.i)
                and self.i + 1 < len(self.p)
                and self.p[self.i + 1] != "]"
            ):
                self.i += 1
                if self.p.startswith("\\", self.i) and self.p[self.i + 1 : self.i + 2] in list(
                    "dswDSW"
                ):
                    raise Untranslatable("range to a category")
                end = self._class_char()
                parts.append(f"{start}-{end}")
            else:
                parts.append(start)
        return "".join(parts) + "]"

    def _class_char(self) -> str:
        c = self.p[self.i]
        if c == "\\":
            if self.i + 1 >= len(self.p):
                raise Untranslatable("trailing backslash")
            self.i += 2
            return self._escaped_char(self.p[self.i - 1])
        self.i += 1
        return _literal(c)


def _literal(c: str) -> str:
    if c.isascii() and not c.isalnum() and c not in " _":
        return "\\" + c
    return c


@cache
def _ranges(category: str) -> str:
    """The exact set Python's ``re`` matches for ``\\d``, ``\\s`` or ``\\w`` in a str pattern,
    as RE2 class ranges (``\\x{660}-\\x{669}...``)."""
    tests: dict[str, Callable[[str], bool]] = {
        "d": str.isdecimal,
        "s": str.isspace,
        "w": lambda ch: ch.isalnum() or ch == "_",
    }
    test = tests[category]
    spans: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF or not test(chr(code)):
            continue
        if spans and spans[-1][1] == code - 1:
            spans[-1] = (spans[-1][0], code)
        else:
            spans.append((code, code))
    return "".join(
        f"\\x{{{lo:x}}}" if lo == hi else f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in spans
    )
