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


def load_rules_for(table: str, path: Path | None = None, also: str | None = None) -> RuleSet:
    """The rule set for ``table``, else for ``also`` (the table it is compared with: the live
    one it was restored from, whose items it holds, when the restore was named freely).

    With ``path``: from that file, which must have a rule set for one of them (its name or base
    name; else InvalidInput: a file for another table would check nothing). Without: the
    shipped rule set for either's name or base name, or an empty rule set (source "no rules
    for TABLE") when none fits, so that counts, schema and diff still run.
    """
    names = [table] + ([also] if also and also != table else [])
    rule_sets = read_rules_file(path) if path is not None else shipped_rule_sets()
    for name in names:
        chosen = select_rule_set(name, rule_sets)
        if chosen is not None:
            return chosen
    if path is not None:
        raise InvalidInput(
            f"The rules file {path} has no rules for {' or '.join(names)} "
            f"(it has {', '.join(sorted(rule_sets))}); add [[{names[-1]}.rule]] tables."
        )
    return no_rules(table, f"no rules for {' or '.join(names)}")
