"""`lee-console settings diff|apply SOURCE RESTORED`: the settings a restore drops (PITR, TTL,
tags, stream, deletion protection, auto scaling, alarms), source vs restored, and re-applying
them with one confirmation, then a re-read that shows each one holds.

When SOURCE no longer exists (an accidental delete), or SOURCE is RESTORED (the deleted table
restored under its own name), the source settings come from the backup RESTORED was restored
from (the deleted table's SYSTEM backup), or from ``--from-backup ARN``: TTL and stream as the
backup records them, PITR on (period assumed 35 days), deletion protection off at deletion and
recommended on, tags unknown (by hand), auto scaling and alarms read for the table's name.

An apply journals what it is about to apply before its first change; a rerun after one was
killed says what that run left (which of its settings hold now), applies the rest, and records
the earlier run as finished.

Exit codes: diff 0 in sync, 1 drift found; apply 0 every applied setting holds, 2 otherwise
(or an error, or no confirmation)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from lee_console.aws.readonly import refusal
from lee_console.aws.settings import ApplyResult, apply_settings, read_settings
from lee_console.aws.settings_backup import read_source_settings
from lee_console.commands.context import CommandContext
from lee_console.commands.formatting import text_table
from lee_console.core.drift import Drift, plan_drift
from lee_console.core.errors import InvalidInput
from lee_console.core.names import validate_table_name
from lee_console.core.settings_runs import (
    InterruptedApply,
    interrupted_applies,
    resumed_fields,
    said,
)
from lee_console.core.timeparse import format_utc
from lee_console.store.processes import alive_elsewhere

_WIDTH = 48
_FROM_BACKUP_HELP = (
    "take SOURCE's settings from this backup of it (DescribeBackup) instead of the table. "
    "Without it, when SOURCE no longer exists or is RESTORED itself (a deleted table restored "
    "under its own name), the backup RESTORED was restored from is used: TTL and stream as "
    "recorded; PITR on, recovery period assumed 35 days (SYSTEM deleted-table backup); "
    "deletion protection off at deletion, turned on (recommended); tags unknown, by hand; "
    "auto scaling and alarms read for the table name"
)


def add_arguments(
    parser: argparse.ArgumentParser, parents: Sequence[argparse.ArgumentParser] = ()
) -> None:
    actions = parser.add_subparsers(dest="settings_action", metavar="ACTION", required=True)
    diff = actions.add_parser(
        "diff",
        help="show which settings of SOURCE the restored table lacks (exit 1 if any)",
        parents=list(parents),
    )
    apply = actions.add_parser(
        "apply",
        help="re-apply SOURCE's settings to the restored table, then re-read them",
        parents=list(parents),
    )
    for sub in (diff, apply):
        sub.add_argument(
            "source",
            metavar="SOURCE",
            help="the table that was restored from (it may be gone: see --from-backup)",
        )
        sub.add_argument(
            "restored",
            metavar="RESTORED",
            help="the table the restore created (may be SOURCE after a deleted-table restore)",
        )
        sub.add_argument("--from-backup", metavar="ARN", help=_FROM_BACKUP_HELP)
        sub.add_argument("--json", action="store_true", help="JSON on stdout")
    apply.add_argument("--yes", action="store_true", help="apply without asking (headless)")


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    source_name = validate_table_name(args.source)
    restored_name = validate_table_name(args.restored)
    source = read_source_settings(ctx.aws, source_name, restored_name, args.from_backup)
    restored = read_settings(ctx.aws, restored_name)
    drifts = plan_drift(source, restored)
    if source.backup is not None:
        ctx.say(source.backup.note())
    if args.settings_action == "diff":
        if args.json:
            print(json.dumps([d.to_json() for d in drifts], indent=2), file=ctx.out)
        else:
            print(drift_table(drifts), file=ctx.out)
        drifted = [d for d in drifts if not d.in_sync]
        if not drifted:
            ctx.say(f"{restored_name} has every setting of {source_name}.")
            return 0
        then = (
            "read-only: nothing is applied."
            if ctx.config.read_only
            else f"`lee-console settings apply {source_name} {restored_name}` re-applies "
            "the automatic ones."
        )
        ctx.say(f"{len(drifted)} setting(s) of {source_name} missing on {restored_name}; {then}")
        return 1
    todo = [d for d in drifts if d.to_apply]
    earlier = unfinished(ctx, restored_name)
    for run in earlier:
        ctx.say(said(run, drifts))
    if not args.json:
        print(drift_table(drifts), file=ctx.out)
    if not todo:
        # An interrupted apply left nothing to do: record that its settings hold.
        done = apply_settings(ctx.aws, source, restored, drifts) if earlier else None
        ctx.say(f"Nothing to apply: {restored_name} has every setting apply can make.")
        if args.json:
            empty = done or ApplyResult(source_name, restored_name, [], after=drifts)
            print(json.dumps(result_json(empty, earlier, drifts), indent=2), file=ctx.out)
        return 0
    if ctx.config.read_only:
        raise refusal(f"Not applying {len(todo)} setting(s) to {restored_name}", then="")
    confirm(ctx, args.yes, len(todo), restored_name)
    result = apply_settings(
        ctx.aws, source, restored, drifts, on_step=lambda d: ctx.say(f"{d.setting}: {d.action}")
    )
    if args.json:
        print(json.dumps(result_json(result, earlier, drifts), indent=2), file=ctx.out)
    else:
        print(result_table(result), file=ctx.out)
    for setting, error in result.errors.items():
        ctx.say(f"{setting}: {error}")
    failing = [s for s, ok in result.holds.items() if not ok]
    if failing:
        ctx.say(f"{len(failing)} setting(s) do not hold on {restored_name}: {', '.join(failing)}.")
        return 2
    ctx.say(f"All {len(result.holds)} setting(s) applied to {restored_name} hold after a re-read.")
    return 0


def unfinished(ctx: CommandContext, restored: str) -> list[InterruptedApply]:
    """Applies to ``restored`` journaled as started, never as finished; refused while one of
    them is still being made by a live process."""
    journal = ctx.aws.journal
    runs = interrupted_applies(journal.events(), restored) if journal else []
    for run in runs:
        if alive_elsewhere(run.pid, run.host):
            raise InvalidInput(
                f"A `settings apply` to {restored} is under way (pid {run.pid}, started "
                f"{format_utc(run.started_at)}): wait for it, or stop it first."
            )
    return runs


def confirm(ctx: CommandContext, yes: bool, count: int, restored: str) -> None:
    """A non-destructive change: one confirmation (a prompt, or --yes when headless)."""
    if yes:
        return
    if sys.stdin.isatty():
        answer = input(f"Apply {count} setting(s) to {restored}? [y/N] ")
        if answer.strip().lower() in ("y", "yes"):
            return
        raise InvalidInput(f"Not applying settings to {restored}: not confirmed.")
    raise InvalidInput(
        f"Not applying {count} setting(s) to {restored} without confirmation: pass --yes."
    )


def _cut(text: str) -> str:
    return text if len(text) <= _WIDTH else text[: _WIDTH - 3] + "..."


def drift_table(drifts: list[Drift]) -> str:
    rows = [
        [
            d.setting,
            _cut(d.source_value),
            _cut(d.restored_value),
            "in sync" if d.in_sync else ("DRIFT" if d.automatic else "DRIFT (by hand)"),
            d.action,
        ]
        for d in drifts
    ]
    return text_table(["SETTING", "SOURCE", "RESTORED", "STATE", "ACTION"], rows)


def result_table(result: ApplyResult) -> str:
    after = {d.setting: d for d in result.after}
    rows = []
    for drift in result.applied:
        now = after.get(drift.setting)
        state = "holds" if result.holds.get(drift.setting) else "does-not-hold"
        rows.append([drift.setting, _cut(now.restored_value if now else "?"), state])
    return text_table(["SETTING", "NOW ON RESTORED", "AFTER APPLY"], rows)


def result_json(
    result: ApplyResult, earlier: Sequence[InterruptedApply] = (), drifts: Sequence[Drift] = ()
) -> dict[str, object]:
    return {
        "interrupted_earlier": resumed_fields(earlier, drifts),
        "source": result.source,
        "restored": result.restored,
        "applied": [d.setting for d in result.applied],
        "holds": result.holds,
        "all_hold": result.all_hold,
        "errors": result.errors,
        "after": [d.to_json() for d in result.after],
    }
