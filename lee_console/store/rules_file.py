"""Reading integrity rules: a rules file the operator names, or the ones shipped with the
console (``lee_console/rules/*.toml``, one per LEE table).

:func:`load_rules_for` is what commands call: it picks the rule set for a table by name (its
own name, else the longest rule-set name it starts with followed by ``-``, so that
``lee-devices-restored-...`` gets the lee-devices rules).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lee_console.core.errors import InvalidInput
from lee_console.core.rules import RuleSet, no_rules
from lee_console.core.rules_parse import RulesError, parse_rules, select_rule_set

SHIPPED_PACKAGE = "lee_console"
SHIPPED_FOLDER = "rules"


def read_rules_file(path: Path) -> dict[str, RuleSet]:
    """Every rule set in the file at ``path``; errors name the file as the operator gave it."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"The rules file {source} does not exist.") from None
    except IsADirectoryError:
        raise InvalidInput(f"The rules file {source} is a directory; name a .toml file.") from None
    except UnicodeDecodeError:
        raise RulesError(source, 0, "not UTF-8 text; a rules file is TOML") from None
    except OSError as error:
        raise InvalidInput(f"Could not read the rules file {source}: {error.strerror}.") from None
    return parse_rules(text, source)


def shipped_rule_sets() -> dict[str, RuleSet]:
    """The rule sets shipped with the console, by table name."""
    folder = resources.files(SHIPPED_PACKAGE).joinpath(SHIPPED_FOLDER)
    rule_sets: dict[str, RuleSet] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            text = entry.read_text(encoding="utf-8")
            rule_sets.update(parse_rules(text, f"shipped rules {entry.name}"))
    return rule_sets


def load_rules_for(table: str, path: Path | None = None) -> RuleSet:
    """The rule set for ``table``.

    With ``path``: from that file, which must have a rule set for the table (its name or base
    name; else InvalidInput: a file for another table would check nothing). Without: the
    shipped rule set for
    the table's name or base name, or an empty rule set (source "no rules for TABLE") when
    none fits, so that counts, schema and diff still run.
    """
    if path is not None:
        rule_sets = read_rules_file(path)
        chosen = select_rule_set(table, rule_sets)
        if chosen is None:
            raise InvalidInput(
                f"The rules file {path} has no rules for {table} "
                f"(it has {', '.join(sorted(rule_sets))}); add [[{table}.rule]] tables."
            )
        return chosen
    chosen = select_rule_set(table, shipped_rule_sets())
    return chosen if chosen is not None else no_rules(table, f"no rules for {table}")
