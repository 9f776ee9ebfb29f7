"""Which incident a command journals into, so that two incidents never mix.

- ``--incident ID``: that incident. A closed one is refused. One with no journal yet is
  started under that id by ``incident declare`` and by commands that change AWS (when they
  write their first event); the operator's own entries (note, confirm-service, close) refuse it.
- otherwise the one open incident (of the kind: drill with --sandbox, adhoc without), and the
  command says which. With none open, a command that changes AWS starts a new incident (the
  journal is created by its first event, and the command says so then); the operator's own
  entries (note, confirm-service, close) are refused with how to declare one. With several
  open the command is refused: it cannot know which.
- ``verify`` journals its result into the open incident, and into none when none is open.
- ``incident declare`` without --incident starts a new incident, unless the one open incident
  has not been declared yet (a restore begun before the declaration stays with it).
- with --sandbox the incident is the drill sandbox's own (``drill`` below), a new one when
  that was closed.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path

from lee_console.core.errors import IncidentClosed, InvalidInput
from lee_console.core.journal import Kind
from lee_console.core.timeparse import format_utc
from lee_console.store.incidents import (
    IncidentState,
    incident_state,
    new_incident_id,
    open_incidents,
)
from lee_console.store.journal_file import Journal, validate_incident_id

Say = Callable[[str], None]

DECLARE_HINT = (
    "`lee-console incident declare --table TABLE --damage-start TIME` records the table and "
    "when the damage began."
)


class Use(Enum):
    WRITE = "write"  # may start a new incident when none is open
    EXISTING = "existing"  # needs an open incident
    JOIN = "join"  # journals into the open incident, if there is one (verify)
    DECLARE = "declare"


def choose_journal(
    directory: Path,
    kind: str,
    use: Use,
    say: Say,
    explicit: str | None = None,
    drill: str | None = None,
    say_started: Say | None = None,
) -> Journal | None:
    """``say_started`` gets the line that says which incident (for a new one, once its first
    event is written); default ``say``. The CLI holds it back until the command has ended, so
    that a refusal stays one line."""
    if explicit is not None:
        return _explicit(directory, validate_incident_id(explicit), use, say)
    if drill is not None:
        return _journal(directory, drill, say, say_started or say, use)
    current = open_incidents(directory, kind)
    if len(current) > 1:
        names = ", ".join(s.incident for s in current)
        raise InvalidInput(
            f"{len(current)} incidents are open ({names}): give --incident ID, or close the "
            "others with `lee-console incident close --incident ID`."
        )
    if current and (use is not Use.DECLARE or not current[0].declared):
        if use in _SAY_WHICH:
            (say_started or say)(f"Incident {_describe(current[0])}.")
        return Journal(directory, current[0].incident)
    if use is Use.EXISTING:
        raise InvalidInput(f"No open incident: {DECLARE_HINT}")
    if use is Use.JOIN:
        (say_started or say)(f"Not journaled: no incident is open. {DECLARE_HINT}")
        return None
    if current:  # a declare beside a declared open incident: a second incident, said so
        other = current[0]
        say(
            f"Incident {other.incident} ({other.table or 'no table'}) is still open: this "
            "declares a second one, and commands then need --incident ID until one is closed "
            "(`lee-console incident close --incident ID`)."
        )
    return _journal(directory, new_incident_id(directory, kind), say, say_started or say, use)


def _explicit(directory: Path, incident: str, use: Use, say: Say) -> Journal:
    state = incident_state(directory, incident)
    if state is None:
        if use is Use.DECLARE:
            return Journal(directory, incident)
        if use is Use.WRITE:
            return Journal(directory, incident)
        raise InvalidInput(
            f"No incident {incident} in {directory}: `lee-console incident list` shows them, "
            f"`lee-console incident declare --incident {incident} --table TABLE` starts it."
        )
    if state.closed_at is not None:
        raise IncidentClosed(
            f"Incident {incident} was closed at {format_utc(state.closed_at)} and is not "
            "appended to: `lee-console incident declare --table TABLE` starts a new one."
        )
    return Journal(directory, incident)


def _journal(directory: Path, incident: str, say: Say, say_started: Say, use: Use) -> Journal:
    """The journal of ``incident``; for a command that changes AWS or journals a result, the
    line that says which (the operator's own entries name it in their own message)."""

    def started(journal: Journal) -> None:
        declared = Kind.INCIDENT_DECLARED in journal.written_kinds  # `d` in the console, say
        hint = "" if declared else f" {DECLARE_HINT}"
        say_started(f"Started incident {journal.incident} (journal {journal.path}).{hint}")

    state = incident_state(directory, incident)
    if state is not None:
        if use in _SAY_WHICH:
            say_started(f"Incident {_describe(state)}.")
        return Journal(directory, incident)
    return Journal(directory, incident, on_start=started if use in _SAY_WHICH else None)


_SAY_WHICH = (Use.WRITE, Use.JOIN)


def _describe(state: IncidentState) -> str:
    table = f", table {state.table}" if state.table else ", not declared yet"
    since = f", since {format_utc(state.first_at)}" if state.first_at else ""
    return f"{state.incident} (open{table}{since})"


def end_drill_incident(directory: Path, incident: str, why: str, say: Say) -> None:
    """Close a drill sandbox's incident when the sandbox ends (replaced, stopped, gone)."""
    if not incident:
        return
    state = incident_state(directory, incident)
    if state is None or state.closed_at is not None:
        return
    Journal(directory, incident).append(Kind.CLOSED, text=f"The drill sandbox was {why}.")
    say(f"Closed drill incident {incident}: the sandbox was {why}.")
