"""`lee-console monitor install (--dry-run | --confirm) [--sns-topic ARN]`: the CloudWatch alarms
on the PITR signals that `status --emit-metrics cloudwatch` publishes (core/metrics.py), per
table (--tables, else every table but restores, probes and dr-test scratch tables): PITR
disabled >= 1, coverage low >= 1, last dr-test passed <= 0, each with --sns-topic as its
action when given. --dry-run prints each alarm it would create (name, metric, threshold,
action) and changes nothing; --confirm creates (or updates: PutMetricAlarm replaces an alarm of
the same name) them, each PutMetricAlarm journaled before and after into a journal of this run
(commands/own_journal.py). --read-only refuses --confirm in one line before anything.

Exit codes: 0 done, 2 error or refused.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

from lee_console.aws.metrics import put_alarms
from lee_console.aws.readonly import refusal
from lee_console.aws.tables import list_table_names
from lee_console.commands.context import CommandContext
from lee_console.commands.own_journal import MONITOR, close_own_journal, use_own_journal
from lee_console.core.errors import InvalidInput
from lee_console.core.metrics import AlarmPlan, alarm_plans, is_derived_table

_SNS_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$", re.ASCII)


def add_arguments(
    parser: argparse.ArgumentParser, parents: Sequence[argparse.ArgumentParser] = ()
) -> None:
    actions = parser.add_subparsers(dest="monitor_action", metavar="ACTION", required=True)
    install = actions.add_parser(
        "install", help="create the CloudWatch alarms on the PITR metrics", parents=list(parents)
    )
    how = install.add_mutually_exclusive_group(required=True)
    how.add_argument("--dry-run", action="store_true", help="show the alarms, create none")
    how.add_argument("--confirm", action="store_true", help="create the alarms")
    install.add_argument("--sns-topic", metavar="ARN", help="the alarms' action: an SNS topic")
    install.epilog = (
        "Alarms per table on LEE/PITR (TableName): lee-pitr-disabled-T (PitrDisabled >= 1; "
        "missing data breaches, so a monitor that stopped publishing is noticed), "
        "lee-pitr-coverage-low-T (CoverageLow >= 1), lee-pitr-drtest-failed-T (DrTestPassed "
        "<= 0). Exit codes: 0 done, 2 error or refused."
    )


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    topic = args.sns_topic
    if topic is not None and not _SNS_ARN.fullmatch(topic):  # $ matches before a final \n
        shown = topic if len(topic) <= 80 else f"{topic[:60]}... ({len(topic):,} characters)"
        raise InvalidInput(
            f"--sns-topic {shown!r} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)."
        )
    if args.confirm and ctx.config.read_only:
        raise refusal("Not creating the PITR alarms (PutMetricAlarm is a write)", "")
    journal, own = use_own_journal(ctx, MONITOR) if args.confirm else (None, False)
    try:
        tables = list(ctx.config.tables or ()) or [
            t for t in list_table_names(ctx.aws) if not is_derived_table(t)
        ]
        plans = alarm_plans(sorted(tables), topic)
        if not plans:
            ctx.say("No tables: no alarm to create.")
            return 0
        verb = "Would create" if args.dry_run else "Creating"
        ctx.say(f"{verb} {len(plans)} alarms on {len(tables)} tables:")
        if args.dry_run:
            for plan in plans:
                print(plan.describe(), file=ctx.out)
            ctx.say("Dry run: nothing was created; --confirm creates them.")
            return 0

        def created(plan: AlarmPlan) -> None:
            print(f"created {plan.describe()}", file=ctx.out)

        put_alarms(ctx.aws, plans, created)
        ctx.say(f"Created {len(plans)} alarms.")
        return 0
    finally:
        if journal is not None:
            close_own_journal(journal, own, "monitor install ended.")
