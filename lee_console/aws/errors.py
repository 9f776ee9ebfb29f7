"""AWS errors turned into core errors that carry one plain sentence for the operator."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    SSOError,
    TokenRetrievalError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from lee_console.core import errors as core
from lee_console.store.fault_log import fault_line, log_fault

CREDENTIALS_HELP = (
    "No AWS credentials found: set AWS_PROFILE or pass --profile, run `aws sso login`, "
    "or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; to practise without AWS, "
    "use --sandbox."
)

_BY_CODE: dict[str, type[core.LeeError]] = {
    "ResourceNotFoundException": core.TableNotFound,
    "TableNotFoundException": core.TableNotFound,
    "SourceTableNotFoundException": core.TableNotFound,
    "BackupNotFoundException": core.BackupNotFound,
    "InvalidRestoreTimeException": core.RestoreTimeOutsideWindow,
    "PointInTimeRecoveryUnavailableException": core.PitrUnavailable,
    "TableAlreadyExistsException": core.TargetTableExists,
    "ResourceInUseException": core.TableInUse,
    "TableInUseException": core.TableInUse,
    "LimitExceededException": core.LimitExceeded,
    "AccessDeniedException": core.AccessDenied,
    "UnrecognizedClientException": core.CredentialsMissing,
    "InvalidClientTokenId": core.CredentialsMissing,
    "ExpiredTokenException": core.CredentialsExpired,
    "ExpiredToken": core.CredentialsExpired,
    "RequestExpired": core.CredentialsExpired,
}
EXPIRED_CODES = frozenset({"ExpiredTokenException", "ExpiredToken", "RequestExpired"})
THROTTLING_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestThrottled",
        "RequestThrottledException",
    }
)
SSO_HELP = (
    "sign in again (`aws sso login`, with the profile used here) and the work goes on: waits "
    "retry by themselves, screens with ctrl+r"
)
EXPIRED_HELP = (
    "renew them (`aws sso login`, or fresh AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/"
    "AWS_SESSION_TOKEN for a new process) and the work goes on: waits retry by themselves, "
    "screens with ctrl+r"
)


def translate(error: Exception, doing: str) -> Exception:
    """``doing`` completes "Could not ...", e.g. "describe table lee-devices". Only botocore's
    errors are translated: anything else is a fault in the console and is returned as it is,
    so the CLI logs its traceback instead of dressing it as an AWS error."""
    if isinstance(error, core.LeeError):
        return error
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return core.CredentialsMissing(CREDENTIALS_HELP)
    if isinstance(error, SSOError | TokenRetrievalError):  # no SSO token, or an expired one
        return core.CredentialsExpired(f"Could not {doing}: {clause(str(error))}; {SSO_HELP}.")
    if isinstance(error, NoRegionError):
        return core.InvalidInput("No AWS region set: pass --region or set AWS_REGION.")
    if isinstance(error, BotoConnectionError | HTTPClientError):
        endpoint = getattr(error, "kwargs", {}).get("endpoint_url", "the AWS endpoint")
        return core.EndpointUnreachable(
            f"Could not {doing}: nothing answers at {endpoint}; check --endpoint-url, "
            "the network, or that the sandbox is running."
        )
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "") or code
        if code in THROTTLING_CODES:
            return core.AwsThrottled(
                f"Could not {doing}: AWS kept throttling the call after every retry ({code})."
            )
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500:
            return core.AwsUnavailable(
                f"Could not {doing}: AWS answered with a server error after every retry "
                f"({code or 'HTTP 5xx'})."
            )
        kind = _BY_CODE.get(code, core.AwsError)
        if kind is core.CredentialsExpired:
            return kind(f"Could not {doing}: the AWS credentials have expired; {EXPIRED_HELP}.")
        return kind(f"Could not {doing}: {message.rstrip('.')} ({code}).")
    if isinstance(error, BotoCoreError):
        return core.AwsError(f"Could not {doing}: {error}.")
    return error


def clause(text: str) -> str:
    """botocore's message as part of our one line: on one line (a credential_process's stderr
    can span several), without its closing punctuation."""
    return " ".join(text.split()).rstrip(". :")


def failure_text(error: Exception, doing: str) -> str:
    """One line for a step that failed and is reported, not raised (a cutover change, a probe):
    AWS's answer translated, or for a fault in the console a line that names the log."""
    translated = translate(error, doing)
    if isinstance(translated, core.LeeError):
        return translated.message
    return f"Could not {doing}: {fault_line(error, log_fault(error, doing))}"
