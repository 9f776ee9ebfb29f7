"""A wait that rides out expired credentials (an SSO sign-in that lapsed mid-restore) reads
them afresh once the operator has renewed them: the session is rebuilt before the next try."""

from __future__ import annotations

from collections.abc import Callable

from lee_console.aws.outage import ride_out
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_table
from lee_console.core.errors import CredentialsExpired
from lee_console.core.pitr import TableSummary


def test_the_try_after_expired_credentials_uses_a_new_session(
    make_aws: Callable[..., Aws], new_table: Callable[..., str]
) -> None:
    table = new_table()
    aws = make_aws(with_journal=False)
    sessions = []

    def poll() -> TableSummary:
        aws.dynamodb  # noqa: B018 - the client the try would use, built or rebuilt here
        sessions.append(aws.session)
        if len(sessions) == 1:  # botocore's SSO provider fails before anything is sent
            raise CredentialsExpired("Could not describe: Token has expired.")
        return describe_table(aws, table)

    said: list[str] = []
    stop = aws.retries.listen(said.append)
    try:
        summary = ride_out(poll, aws.retries)
    finally:
        stop()
    assert summary.name == table
    assert sessions[1] is not sessions[0]
    assert said[-1].startswith("AWS answers again after ")
