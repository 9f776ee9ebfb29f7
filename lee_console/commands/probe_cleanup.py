"""Probe tables a killed find-good run left (SIGKILL, a crash): found on the next
`lee-console find-good TABLE`, named on stderr one per line, and deleted with --yes (or a "y" at
a terminal) before a new search starts; `find-good TABLE --cleanup-only --yes` deletes them and
searches nothing. Only tables the journals say a find-good run started and never deleted, that
are restores of TABLE named as probes, and whose run is over, are ever deleted
(aws/probe_tables.py). With --read-only nothing is deleted: one line says so.
"""

from __future__ import annotations

import sys

from lee_console.aws.probe_tables import LeftoverScan, delete_leftover_probes, find_leftover_probes
from lee_console.aws.readonly import refusal
from lee_console.commands.context import CommandContext
from lee_console.core.errors import InvalidInput, LeeError
from lee_console.core.probe_leftovers import StartedProbe


def clear_before_search(ctx: CommandContext, table: str, yes: bool, poll_seconds: float) -> None:
    """Before a new search of ``table``: name its leftover probes and delete them (``yes``, or
    the operator's "y" at a terminal); otherwise refuse to start."""
    scan = _scan(ctx, table)
    if not scan.leftovers:
        return
    _name(ctx, scan.leftovers)
    count = len(scan.leftovers)
    if not yes:
        how = (
            f"rerun with --yes to delete them first, or only delete them: lee-console "
            f"find-good {table} --cleanup-only --yes"
        )
        _confirm(
            f"{count} probe table(s) of {table} left by a killed find-good run still exist "
            "(listed above)",
            f"Not starting: {count} probe table(s) of {table} left by a killed find-good run "
            f"still exist (listed above; they cost and `status` alerts on them): {how}.",
        )
    _delete(ctx, table, scan.leftovers, poll_seconds)


def cleanup_only(ctx: CommandContext, table: str, yes: bool, poll_seconds: float) -> int:
    """`find-good TABLE --cleanup-only`: delete the leftover probes of ``table``, search
    nothing. 0: none left; errors (exit 2) otherwise."""
    if ctx.config.read_only:  # one line, and nothing sent but reads
        found = find_leftover_probes(ctx.aws, table).leftovers
        if found:
            names = ", ".join(p.target for p in found)
            raise refusal(f"Not deleting the leftover probe tables of {table} ({names})")
    scan = _scan(ctx, table)
    if not scan.leftovers:
        ctx.say(f"No leftover probe tables of {table}.")
        return 0
    _name(ctx, scan.leftovers)
    if not yes:
        count = len(scan.leftovers)
        _confirm(
            f"Delete {count} leftover probe table(s) of {table}",
            f"Not deleting: pass --yes to delete the {count} leftover probe table(s) of {table} "
            "listed above.",
        )
    _delete(ctx, table, scan.leftovers, poll_seconds)
    return 0


def _scan(ctx: CommandContext, table: str) -> LeftoverScan:
    scan = find_leftover_probes(ctx.aws, table)
    for probe in scan.maybe_running:
        where = f"pid {probe.pid} on {probe.host}" if probe.pid else f"on {probe.host}"
        ctx.say(
            f"Probe table {probe.target} belongs to a find-good run that may still be going "
            f"({where}); not touched."
        )
    return scan


def _name(ctx: CommandContext, probes: list[StartedProbe]) -> None:
    for probe in probes:
        ctx.say(f"Leftover probe table: {probe.line()}.")


def _confirm(question: str, refused: str) -> None:
    if not sys.stdin.isatty():
        raise InvalidInput(refused)
    answer = input(f"{question}. Delete them? [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise InvalidInput(refused)


def _delete(ctx: CommandContext, table: str, probes: list[StartedProbe], poll: float) -> None:
    ctx.say(
        f"Deleting {len(probes)} leftover probe table(s) of {table} (one still restoring is "
        "deleted once it is ACTIVE: AWS deletes no table being restored)."
    )

    def said(probe: StartedProbe, deleted: bool, error: str | None) -> None:
        if deleted:
            ctx.say(f"Deleted leftover probe table {probe.target}.")
        else:
            ctx.say(
                f"NOT deleted: {probe.target}: {error}; delete it yourself: {probe.delete_command}"
            )

    left = delete_leftover_probes(ctx.aws, probes, said, poll_seconds=poll)
    if left:
        raise LeeError(
            f"{len(left)} leftover probe table(s) of {table} could not be deleted (above, with "
            "the command that deletes each); no search was started."
        )
