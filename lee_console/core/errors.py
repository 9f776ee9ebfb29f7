"""One error tree for the whole console.

Every error carries ``message``: one plain sentence for the operator, with what to do next.
The CLI prints it on one line and exits with ``exit_code``; the TUI shows it in a notification.
"""

from __future__ import annotations


class LeeError(Exception):
    """Base of every error the operator may see."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(LeeError):
    """The operator typed something the console cannot use (a time, a name, a file)."""


class TimeParseError(InvalidInput):
    """A TIME argument matched none of the accepted forms."""


class ConfigError(InvalidInput):
    """The config file cannot be read."""


class TableNotFound(LeeError):
    """The table does not exist in this account and region."""


class BackupNotFound(LeeError):
    """The backup ARN names no backup."""


class RestoreTimeOutsideWindow(LeeError):
    """The restore time falls outside the table's restorable window."""


class PitrUnavailable(LeeError):
    """Point-in-time recovery is not enabled on the source table."""


class TargetTableExists(LeeError):
    """The restore target name is already taken."""


class TableInUse(LeeError):
    """The table is being created, updated or deleted."""


class LimitExceeded(LeeError):
    """An AWS limit was hit (for example 50 concurrent restores per account)."""


class EndpointUnreachable(LeeError):
    """Nothing answers at the AWS endpoint."""


class CredentialsMissing(LeeError):
    """No AWS credentials were found, or they were rejected."""


class CredentialsExpired(CredentialsMissing):
    """AWS says the credentials have expired; renewed ones let the work go on."""


class AccessDenied(LeeError):
    """The caller's IAM policy does not allow the call."""


class ReadOnlyRefused(LeeError):
    """A mutating call was refused because the console runs with --read-only."""


class RestoreTimedOut(LeeError):
    """A restore did not finish before the waiter's deadline."""


class AwsError(LeeError):
    """Any other AWS error, translated to one sentence."""


class AwsThrottled(AwsError):
    """AWS kept throttling a call after botocore's retries."""


class AwsUnavailable(AwsError):
    """AWS kept answering a call with a server error (5xx) after botocore's retries."""


# Errors that end by themselves (an outage, throttling, credentials renewed meanwhile): a wait
# that must not be lost, a restore's or a repair's, rides them out up to its own deadline.
PASSING = (EndpointUnreachable, AwsThrottled, AwsUnavailable, CredentialsExpired)


class IncidentClosed(InvalidInput):
    """The incident's journal holds a ``closed`` event: nothing more is appended to it."""
