"""The S3 bucket exports go to: --bucket, else the config file's export_bucket (the sandbox's
seeded bucket under --sandbox). None given is one line naming both."""

from __future__ import annotations

from lee_console.commands.context import CommandContext
from lee_console.core.errors import InvalidInput
from lee_console.core.exports.bucket import bucket_problem
from lee_console.store.paths import config_path


def export_bucket(given: str | None, ctx: CommandContext, what: str) -> str:
    """The bucket for ``what`` (e.g. "damage exports lee-devices' changes")."""
    bucket = given if given is not None else configured_bucket(ctx)
    if bucket is None:
        raise InvalidInput(
            f"No S3 bucket for the exports: {what} to S3; pass --bucket B or set "
            f"export_bucket in {config_path()}."
        )
    problem = bucket_problem(bucket)
    if problem:
        raise InvalidInput(f"--bucket {problem}.")
    return bucket


def configured_bucket(ctx: CommandContext) -> str | None:
    return ctx.config.export_bucket
