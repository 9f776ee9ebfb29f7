"""`repair LIVE --from-export EXPORT [--dry-run] [--confirm LIVE] [--json]`: write back, for
each item that incremental exports from the damage start show damaged, its last good image the
exports show (at the latest its image at the damage start), while the live item is still what
the last export saw; nothing is restored and every other item is left as it is
(aws/repair_export.py, core/exports/repair_plan.py). EXPORT is a `damage --json` result (the
changes since its first damaging write are exported again, so that each item's image before
them is its image at the damage start) or incremental export ARNs, comma-separated.

Journaled per batch like the repair from a restore: the same command run again after a kill
writes only what the journal does not show as done."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from lee_console.aws.readonly import refusal
from lee_console.aws.repair_export import (
    export_again,
    export_arns,
    load_plan,
    not_done,
    plan_from,
    read_damage_result,
    write_back,
)
from lee_console.aws.verify import describe_shape
from lee_console.commands.context import CommandContext
from lee_console.commands.export_bucket import export_bucket
from lee_console.core.errors import InvalidInput
from lee_console.core.exports.repair_plan import ExportRepairPlan
from lee_console.core.journal import Kind
from lee_console.core.repair import ResumeState, resume_state
from lee_console.core.repoint import check_confirmation
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

EXIT_SKIPPED = 1
NAMED = 10  # blind items named on stderr (all of them in --json)


def run_from_export(
    args: argparse.Namespace, ctx: CommandContext, live: str, rules: RuleSet, ask: Any
) -> int:
    what = f"writing damaged items of {live} back from its exports"
    if not args.dry_run and ctx.config.read_only:
        raise refusal(f"Not {what}", "--dry-run shows the counts.")
    arns = exports_for(args, ctx, live)
    if arns is None:
        return 0
    now = datetime.now(UTC)
    infos, plan = load_plan(ctx.aws, live, arns, rules, now)
    since = infos[0].since
    source = f"exports of {live} from {format_utc(since) if since else infos[0].export_id}"
    resume = resume_state(ctx.journal.events(), live, source) if ctx.journal else ResumeState()
    todo = not_done(plan.repairs, resume.done)
    summary = summarize(live, [info.arn for info in infos], since, plan, len(resume.repaired))
    say_plan(ctx, live, plan, summary, len(todo))
    if args.dry_run or not todo:
        if args.json:
            print(json.dumps(summary, indent=2), file=ctx.out)
        ctx.say("Dry run: nothing changed." if args.dry_run else "Nothing left to repair.")
        return 0
    typed = args.confirm if args.confirm is not None else ask(live, what)
    check_confirmation(typed, live, what)
    key_names = list(describe_shape(ctx.aws, live).key_names)
    result = write_back(ctx.aws, live, key_names, todo, source, ctx.say)
    repaired = result.repaired + len(resume.repaired)
    skipped = result.skipped
    if ctx.journal is not None:
        ctx.journal.append(
            Kind.REPAIR_FINISHED, live=live, restored=source, damaged=len(plan.repairs),
            repaired=repaired, skipped=len(skipped), left=0, complete=True,
            cancelled=False, skipped_keys=[{"key": k, "reason": r} for k, r in skipped[:100]],
            via="export", unseen_risk=len(plan.unseen_risk),
        )  # fmt: skip
        ctx.journal.append(
            Kind.CUTOVER, strategy="repair", live=live, restored=source, via="export",
            changes=[f"{repaired} items written back from exports"],
        )  # fmt: skip
    summary.update(repaired=repaired, skipped=[{"key": k, "why": w} for k, w in skipped])
    if args.json:
        print(json.dumps(summary, indent=2), file=ctx.out)
    ctx.say(f"Repaired {repaired} items of {live} from exports; {len(skipped)} skipped.")
    return EXIT_SKIPPED if skipped else 0


def exports_for(args: argparse.Namespace, ctx: CommandContext, live: str) -> list[str] | None:
    """The export ARNs to repair from (None: a damage result with nothing to repair)."""
    damage = read_damage_result(args.from_export)
    if damage is None:
        return export_arns(args.from_export)
    if damage.table is not None and damage.table != live:
        raise InvalidInput(f"{args.from_export} is a damage result of {damage.table}, not {live}.")
    start = damage.first_damaging_write
    if start is None:
        ctx.say(f"{args.from_export} found no damaging write: nothing to repair.")
        return None
    bucket = export_bucket(args.bucket, ctx, f"repair --from-export exports the changes of {live}")
    plan = plan_from(ctx.aws, live, start)
    ctx.say(
        f"Exporting {live}'s changes since the first damaging write {format_utc(start)} "
        f"({len(plan.periods)} incremental export(s), estimated {plan.cost.text()}; "
        f"{'a dry run exports too, ' if args.dry_run else ''}the table's capacity is not read)."
    )
    return export_again(ctx.aws, plan, bucket, ctx.say)


def summarize(
    live: str, arns: list[str], since: datetime | None, plan: ExportRepairPlan, already: int
) -> dict[str, Any]:
    return {
        "live": live,
        "exports": arns,
        "from": format_utc(since) if since else None,
        "damaged": len(plan.repairs),
        "already_repaired": already,
        "legitimate_changes_kept": plan.legitimate,
        "deleted": plan.deleted,
        "created": plan.created,
        "broken_before": [dict(key) for key in plan.broken_before],
        "unseen_risk": [repair.blind_json() for repair in plan.unseen_risk],
    }


def say_plan(
    ctx: CommandContext, live: str, plan: ExportRepairPlan, summary: dict[str, Any], todo: int
) -> None:
    already = summary["already_repaired"]
    ctx.say(
        f"{len(plan.repairs)} damaged items of {live} get their last good image the exports "
        f"show back ({todo} to write{f', {already} already repaired (journal)' if already else ''}"
        f"); {plan.legitimate} legitimately changed items, {plan.created} created and "
        f"{plan.deleted} deleted are left as they are."
    )
    blind = plan.unseen_risk
    if blind:
        names = ", ".join(_key(r.key) for r in blind[:NAMED]) + (
            " ..." if len(blind) > NAMED else ""
        )
        ctx.say(
            f"Not visible in any export: {len(blind)} damaged item(s) were damaged after the "
            "image written back was taken, within one export period; a legitimate write made "
            f"to one in between would be lost: {names} (--json: unseen_risk, with each span)."
        )
    if plan.broken_before:
        ctx.say(
            f"{len(plan.broken_before)} item(s) already broke the rules at the start of the "
            "exports: they have no good image here and are left (a damage result from earlier, "
            "or a restore, would show one)."
        )


def _key(key: Any) -> str:
    return "/".join(str(value) for value in dict(key).values())
