"""`repair LIVE --from-export EXPORT [--dry-run] [--confirm LIVE]`: write back, for each item
that incremental exports from the damage start show damaged, its image at the damage start,
while the live item is still what the last export saw; nothing is restored and every other item
is left as it is (aws/repair_export.py, core/exports/repair_plan.py)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from lee_console.aws.readonly import refusal
from lee_console.aws.repair_export import (
    damage_start,
    export_arns,
    exports_from,
    load_plan,
    write_back,
)
from lee_console.aws.verify import describe_shape
from lee_console.commands.context import CommandContext
from lee_console.core.journal import Kind
from lee_console.core.repoint import check_confirmation
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

EXIT_SKIPPED = 1


def run_from_export(
    args: argparse.Namespace, ctx: CommandContext, live: str, rules: RuleSet, ask: Any
) -> int:
    what = f"writing damaged items of {live} back from its exports"
    if not args.dry_run and ctx.config.read_only:
        raise refusal(f"Not {what}", "--dry-run shows the counts.")
    start = damage_start(args.from_export)
    if start is not None:  # a damage result: export again from the first damaging write
        arns = exports_from(ctx.aws, live, start, args.bucket, ctx.say)
    else:
        arns = export_arns(args.from_export)
    now = datetime.now(UTC)
    infos, plan = load_plan(ctx.aws, live, arns, rules, now)
    since = infos[0].since
    risk = plan.unseen_risk
    summary: dict[str, Any] = {
        "live": live,
        "exports": [info.arn for info in infos],
        "from": format_utc(since) if since else None,
        "damaged": len(plan.repairs),
        "legitimate_changes_kept": plan.legitimate,
        "deleted": plan.deleted,
        "created": plan.created,
        "broken_before": plan.broken_before,
        "unseen_risk": [dict(r.key) for r in risk],
    }
    ctx.say(
        f"{len(plan.repairs)} damaged items of {live} get their image at "
        f"{summary['from']} back; {plan.legitimate} legitimately changed items are left as they "
        f"are. {len(risk)} damaged items were first changed in a later export period: a "
        "legitimate write made to them in that period before the damage would not show."
    )
    if args.dry_run or not plan.repairs:
        if args.json:
            print(json.dumps(summary, indent=2), file=ctx.out)
        ctx.say("Dry run: nothing changed." if args.dry_run else "Nothing to repair.")
        return 0
    typed = args.confirm if args.confirm is not None else ask(live, what)
    check_confirmation(typed, live, what)
    key_names = list(describe_shape(ctx.aws, live).key_names)
    source = "export:" + ",".join(info.export_id for info in infos)
    result = write_back(ctx.aws, live, key_names, plan, source, ctx.say)
    skipped = result.skipped or []
    if ctx.journal is not None:
        ctx.journal.append(
            Kind.REPAIR_FINISHED, live=live, restored=source, damaged=len(plan.repairs),
            repaired=result.repaired, skipped=len(skipped), left=0, complete=True,
            cancelled=False, skipped_keys=[{"key": k, "reason": r} for k, r in skipped[:100]],
        )  # fmt: skip
        ctx.journal.append(
            Kind.CUTOVER, strategy="repair", live=live, restored=source, via="export",
            changes=[f"{result.repaired} items written back from exports"],
        )  # fmt: skip
    summary.update(repaired=result.repaired, skipped=[{"key": k, "why": w} for k, w in skipped])
    if args.json:
        print(json.dumps(summary, indent=2), file=ctx.out)
    ctx.say(f"Repaired {result.repaired} items of {live}; {len(skipped)} skipped.")
    return EXIT_SKIPPED if skipped else 0
