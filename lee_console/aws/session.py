"""One boto3 Session for the whole console, its clients built once, with retries, the rate
limiter, the read-only guard and the call journal hooked in."""

from __future__ import annotations

import json
import threading
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ProfileNotFound

from lee_console.aws.connection import ConnectionSettings
from lee_console.aws.errors import CREDENTIALS_HELP, clause, translate
from lee_console.aws.ratelimit import RateLimiter
from lee_console.aws.readonly import refuse_writes
from lee_console.aws.retry_watch import RetryWatch
from lee_console.core.errors import CredentialsMissing, InvalidInput, ReadOnlyRefused

if TYPE_CHECKING:  # the journal's modules are imported with a journal: status has none
    from lee_console.aws.journaling import CallJournal
    from lee_console.store.journal_file import Journal

# AWS allows 10 a second per account and region, counted as they arrive. The limiter counts a
# call until a window after its answer, so no network jitter needs room; the 50 ms beyond AWS's
# second are for clocks that tick differently. 50 tables: about 4.3 s (the bound is 5 s).
DESCRIBE_CONTINUOUS_BACKUPS_PER_SECOND = 10
DESCRIBE_CONTINUOUS_BACKUPS_WINDOW = 1.05
TOTAL_ATTEMPTS = 6  # botocore's standard mode: the first try and five retries
_SANDBOX_KEY = "sandbox"  # any value works against a local endpoint


class Aws:
    """The console's handle on AWS. Build it once (in the CLI) and share it; thread-safe."""

    def __init__(
        self,
        settings: ConnectionSettings,
        journal: Journal | None = None,
        session: boto3.Session | None = None,
    ) -> None:
        """``session``: one already built (a scan worker's, from the parent's credentials)."""
        self.settings = settings
        self.journal = journal
        self.session = session or _build_session(settings)
        self.region: str = self.session.region_name
        self._boto_config = BotoConfig(
            region_name=self.region,
            retries={"mode": "standard", "total_max_attempts": TOTAL_ATTEMPTS},
            connect_timeout=5,
            read_timeout=30,
            max_pool_connections=32,
        )
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._identity: str | None = None
        self._describe_backups_limiter = _shared_limiter(settings, self.region)
        self._call_journal: CallJournal | None = None
        if journal is not None:
            from lee_console.aws.journaling import CallJournal

            self._call_journal = CallJournal(journal, self.identity)
        self.retries = RetryWatch()

    def client(self, service: str) -> Any:
        with self._lock:
            if self.retries.expired_seen.is_set():
                # AWS said the credentials expired: read them afresh (an `aws sso login` since,
                # a refreshed profile) for every client built from now on.
                self.retries.expired_seen.clear()
                self.session = _build_session(self.settings)
                self._clients.clear()
            if service not in self._clients:
                self._clients[service] = self._make_client(service)
            return self._clients[service]

    def _make_client(self, service: str) -> Any:
        session: Any = self.session  # boto3-stubs types client() per literal service name
        client = session.client(
            service, endpoint_url=self.endpoint_for(service), config=self._boto_config
        )
        events = client.meta.events
        if self.settings.read_only:
            events.register("before-call", self._refuse_writes)
        if service == "dynamodb":
            # Every attempt is paced, a retry as much as the first try (aws/ratelimit.py).
            limiter = self._describe_backups_limiter
            operation = "dynamodb.DescribeContinuousBackups"
            events.register(f"before-send.{operation}", limiter.before_send)
            events.register(f"response-received.{operation}", limiter.answered)
        if self._call_journal is not None:
            self._call_journal.register(events)
        self.retries.register(events, TOTAL_ATTEMPTS)
        return client

    def endpoint_for(self, service: str) -> str | None:
        """--endpoint-url is DynamoDB's (a VPC endpoint, say); a local endpoint (the sandbox)
        serves every service, so there it applies to all of them."""
        if service == "dynamodb" or self.settings.sandbox or self.settings.endpoint_is_loopback:
            return self.settings.endpoint_url
        return None

    def _refuse_writes(self, model: Any, **kwargs: Any) -> None:
        try:
            refuse_writes(model, **kwargs)
        except ReadOnlyRefused as refusal:
            if self.journal is not None:
                from lee_console.core.journal import Kind

                self.journal.append(Kind.AWS_REFUSED, operation=model.name, reason=refusal.message)
            raise

    def reveal_in_journal(self, *values: str) -> None:
        """Table names a cutover repoints: the journal may show them in Lambda and SSM values."""
        if self._call_journal is not None:
            self._call_journal.reveal(*values)

    def journaled_by_batch(self, operation: str, table: str) -> AbstractContextManager[None]:
        """While open, ``operation`` calls on ``table`` are not journaled one by one: the caller
        journals them per batch (repair)."""
        if self._call_journal is None:
            return nullcontext()
        return self._call_journal.covered(operation, table)

    @property
    def dynamodb(self) -> Any:
        return self.client("dynamodb")

    def identity(self) -> str:
        """The caller's ARN (STS GetCallerIdentity), fetched once."""
        if self._identity is None:
            try:
                self._identity = str(self.client("sts").get_caller_identity()["Arn"])
            except Exception as error:
                raise translate(
                    error, "read the caller identity (sts get-caller-identity)"
                ) from None
        return self._identity

    def account(self) -> str:
        arn = self.identity()
        parts = arn.split(":")
        return parts[4] if len(parts) > 4 else "?"

    @property
    def where(self) -> str:
        """Region and endpoint, for headers and messages."""
        return self.settings.where(self.region)


_limiters: dict[tuple[str | None, str, str | None], RateLimiter] = {}
_limiters_lock = threading.Lock()


def _shared_limiter(settings: ConnectionSettings, region: str) -> RateLimiter:
    """One limiter for every handle in this process on the same account and region: AWS counts
    the account's calls, so two commands run one after the other in a process (the tests', a
    dr-test beside the console) must not each spend the whole second."""
    key = (settings.profile, region, settings.endpoint_url)
    with _limiters_lock:
        if key not in _limiters:
            _limiters[key] = RateLimiter(
                DESCRIBE_CONTINUOUS_BACKUPS_PER_SECOND, DESCRIBE_CONTINUOUS_BACKUPS_WINDOW
            )
        return _limiters[key]


def _build_session(settings: ConnectionSettings) -> boto3.Session:
    if settings.sandbox:
        # The embedded sandbox gets dummy credentials, never the operator's real ones.
        return boto3.Session(
            region_name=settings.region or "us-east-1",
            aws_access_key_id=_SANDBOX_KEY,
            aws_secret_access_key=_SANDBOX_KEY,
        )
    try:
        return _profile_session(settings)
    except (BotoCoreError, OSError, ValueError) as error:
        # The operator's AWS config, not a fault of ours: ~/.aws/config that does not parse, a
        # source_profile that is not there, a credential_process that fails, cannot start or
        # prints no JSON, a token file that is missing. What botocore found, on one line.
        whose = f" of profile {settings.profile!r}" if settings.profile else ""
        raise CredentialsMissing(
            f"Could not read the AWS credentials{whose}: {_credentials_problem(error)}."
        ) from None


def _credentials_problem(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        text = f"what it read (a credential_process's output, a cached token) is not JSON: {error}"
    elif isinstance(error, OSError) and error.filename:
        text = f"{error.strerror or error}: {error.filename}"
    else:
        text = str(error)
    return clause(text)


def _profile_session(settings: ConnectionSettings) -> boto3.Session:
    try:
        session = boto3.Session(profile_name=settings.profile, region_name=settings.region)
    except ProfileNotFound as error:
        named = settings.profile or error.kwargs.get("profile")
        source = "" if settings.profile else " (from AWS_PROFILE)"
        raise InvalidInput(
            f"The AWS profile {named!r}{source} is not in ~/.aws/config or ~/.aws/credentials."
        ) from None
    if settings.endpoint_is_loopback:
        # A local endpoint (a sandbox started with `sandbox serve`) accepts any credentials.
        if session.get_credentials() is None:
            return boto3.Session(
                region_name=settings.region or "us-east-1",
                aws_access_key_id=_SANDBOX_KEY,
                aws_secret_access_key=_SANDBOX_KEY,
            )
        if session.region_name is None:
            return boto3.Session(profile_name=settings.profile, region_name="us-east-1")
        return session
    if session.get_credentials() is None:
        raise CredentialsMissing(CREDENTIALS_HELP)
    if session.region_name is None:
        raise InvalidInput(
            "No AWS region set: pass --region, set AWS_REGION, or add it to the profile."
        )
    return session
