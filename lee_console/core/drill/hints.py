"""Hints a drill participant may ask for (`h`): each a nudge toward the next thing to look at,
never the answer, and each costs points. The first hints are about finding the damage, the last
about what a restored table still needs."""

from __future__ import annotations

HINT_COST = 3  # points per hint

_HINTS: dict[str, tuple[str, ...]] = {
    "bad-deployment": (
        "Look at what changed shortly before the first tickets: the table's timeline (enter on "
        "its row) marks deployments and shows the write rate.",
        "Damage that arrives with a deployment begins at a second, not a round minute: a "
        "restore point a minute early loses the writes of that minute.",
        "A restored table has no PITR, and the application reads whatever the SSM parameter "
        "and the Lambda variable name. Writing back only the damaged items keeps what users "
        "wrote since.",
    ),
    "accidental-delete": (
        "Look for what is missing rather than what is wrong: does the dashboard still list "
        "every table the application uses?",
        "When a table with PITR on is deleted, AWS keeps something you can restore from: "
        "the backups screen (b) lists it.",
        "Where the application finds its table is configuration (an SSM parameter, a Lambda "
        "variable): a restore under a new name is only half the recovery.",
    ),
    "gradual-corruption": (
        "The first report is not the first damage: check how far back items break the "
        "integrity rules before choosing a point.",
        "Searching the window for the last good second by hand is slow: the console can "
        "search it for you (find-good, g on the timeline).",
        "A restore point days back loses days of legitimate writes if the application is "
        "moved to it; compare that with writing back only the damaged items.",
    ),
}

_GENERIC = (
    "Start from the symptom: which table do the failing requests read, and since when is it wrong?",
    "Verify a restored table before anyone uses it: counts, rules and the difference with the "
    "live table.",
    "The recovery is done when the application reads good data, not when the restore finishes.",
)


def hints_for(scenario: str) -> tuple[str, ...]:
    return _HINTS.get(scenario, _GENERIC)


def hint(scenario: str, number: int) -> str | None:
    """Hint ``number`` (1-based) of the scenario, or None when there is no further hint."""
    hints = hints_for(scenario)
    return hints[number - 1] if 1 <= number <= len(hints) else None
