"""Scratch tables a killed dr-test run left (SIGKILL, a crash): found by the next dr-test of
the table from the journals and DescribeTable (aws/probe_tables.py with
core.probe_leftovers.DR_TEST, the same checks as find-good's probes: journaled as started and
never as deleted, a restore of TABLE named TABLE-drtest-..., its process gone), named on stderr
and deleted without a question (dr-test made them; nothing else is ever deleted). The killed
run's own journal is then closed.
"""

from __future__ import annotations

from lee_console.aws.probe_tables import delete_leftover_probes, find_leftover_probes
from lee_console.commands.context import CommandContext
from lee_console.commands.own_journal import DRTEST
from lee_console.core.errors import LeeError
from lee_console.core.journal import Kind
from lee_console.core.probe_leftovers import DR_TEST, StartedProbe
from lee_console.store.incidents import incident_state
from lee_console.store.journal_file import Journal


def clear_leftovers(ctx: CommandContext, table: str, poll_seconds: float = 1.0) -> None:
    aws = ctx.aws
    scan = find_leftover_probes(aws, table, DR_TEST)
    for probe in scan.maybe_running:
        ctx.say(
            f"Scratch table {probe.target} belongs to a dr-test that may still run; not touched."
        )
    if not scan.leftovers:
        return
    for probe in scan.leftovers:
        ctx.say(f"Leftover scratch table of a killed dr-test: {probe.line()}; deleting it.")

    def said(probe: StartedProbe, deleted: bool, error: str | None) -> None:
        if deleted:
            ctx.say(f"Deleted leftover scratch table {probe.target}.")
            _close_killed(ctx, probe)
        else:
            ctx.say(f"NOT deleted: {probe.target}: {error}; delete it yourself: "
                    f"{probe.delete_command}")  # fmt: skip

    left = delete_leftover_probes(aws, scan.leftovers, said, poll_seconds=poll_seconds)
    if left:
        raise LeeError(
            f"{len(left)} leftover scratch table(s) of {table} could not be deleted (above); "
            "no test was started."
        )


def _close_killed(ctx: CommandContext, probe: StartedProbe) -> None:
    """The killed run's own journal (drtest-...) is left open by the kill: close it."""
    journal = ctx.aws.journal
    if journal is None or not probe.incident.startswith(f"{DRTEST}-"):
        return
    if probe.incident == journal.incident:
        return
    state = incident_state(journal.path.parent, probe.incident)
    if state is not None and state.closed_at is None:
        Journal(journal.path.parent, probe.incident).append(
            Kind.CLOSED, text=f"Closed by dr-test run journal {journal.incident}: the run was "
            "killed; its scratch table was deleted.",
        )  # fmt: skip
