"""A journal of its own for a command that is no incident action: each `dr-test` run (and each
`monitor install`) journals into a new journal ``<kind>-<UTC second>-<4 hex>`` (its mutating
calls, before and after, like any other), closed when the command ends, so a scheduled run
neither joins an open incident nor is refused because several are open. ``--incident ID``
journals into that incident instead. The journal is created by its first event: a run refused
before any change leaves none.
"""

from __future__ import annotations

from lee_console.aws.session import Aws
from lee_console.commands.context import CommandContext
from lee_console.core.journal import Kind
from lee_console.store.incidents import journals_dir, new_incident_id
from lee_console.store.journal_file import Journal
from lee_console.store.paths import state_dir

DRTEST = "drtest"
MONITOR = "monitor"


def use_own_journal(ctx: CommandContext, kind: str) -> tuple[Journal, bool]:
    """Point ``ctx.aws`` at a journal of this run (or --incident's); True when it is the run's
    own, which ``close_own_journal`` closes."""
    own = ctx.journal is None
    if ctx.journal is not None:
        journal = ctx.journal
    else:
        directory = journals_dir(state_dir())
        journal = Journal(directory, new_incident_id(directory, kind))
    settings = ctx.aws_factory().settings  # builds no client, sends nothing
    ctx.aws_factory = lambda: Aws(settings, journal)
    ctx.journal = journal
    return journal, own


def close_own_journal(journal: Journal, own: bool, text: str) -> None:
    if own and journal.written_kinds and journal.closed_at is None:
        journal.append(Kind.CLOSED, text=text)
