"""AWS errors reach the operator as core errors carrying one plain sentence."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, NoCredentialsError, NoRegionError

from lee_console.aws.errors import translate
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.aws.tables import describe_pitr, describe_table, list_table_names
from lee_console.core import errors as core


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_sentence(message: str) -> None:
    assert "\n" not in message
    assert "Traceback" not in message
    assert message.endswith(".")
    assert message.count(". ") == 0, message


def client_error(code: str, message: str = "Something went wrong") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "RestoreTableToPointInTime")


def test_unknown_table(make_aws: Callable[..., Aws]) -> None:
    aws = make_aws()
    with pytest.raises(core.TableNotFound) as caught:
        describe_table(aws, "no-such-table")
    message = caught.value.message
    assert message.startswith("Table no-such-table does not exist in us-east-1 @ http://127.0.0.1:")
    assert "lee-console status" in message
    with pytest.raises(core.TableNotFound):
        describe_pitr(aws, "no-such-table")


def test_unreachable_endpoint_is_one_sentence_and_quick() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    aws = Aws(ConnectionSettings(endpoint_url=url))
    start = time.monotonic()
    with pytest.raises(core.EndpointUnreachable) as caught:
        list_table_names(aws)
    assert time.monotonic() - start < 15
    message = caught.value.message
    one_sentence(message)
    assert url in message
    assert "--endpoint-url" in message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("endpoint", [None, "https://dynamodb.eu-west-1.amazonaws.com"])
def test_missing_credentials_mentions_the_sandbox(endpoint: str | None) -> None:
    with pytest.raises(core.CredentialsMissing) as caught:
        Aws(ConnectionSettings(endpoint_url=endpoint, region="eu-west-1"))
    message = caught.value.message
    assert "--sandbox" in message
    assert "--profile" in message
    assert "\n" not in message


def test_loopback_endpoint_needs_no_credentials(sandbox_url: str) -> None:
    aws = Aws(ConnectionSettings(endpoint_url=sandbox_url))
    assert aws.region == "us-east-1"
    assert isinstance(list_table_names(aws), list)


def test_unknown_profile_is_named(tmp_path: object) -> None:
    with pytest.raises(core.InvalidInput, match="'nobody'"):
        Aws(ConnectionSettings(profile="nobody"))


@pytest.mark.parametrize(
    ("profile", "config", "expected"),
    [
        (
            None,
            "[default\nregion = us-east-1\n",  # the closing bracket lost in an edit
            "Could not read the AWS credentials: Unable to parse config file: {config}.",
        ),
        (
            "y",
            "[profile y]\nregion = us-east-1\nsource_profile = z\n"
            "role_arn = arn:aws:iam::123456789012:role/r\n",
            "Could not read the AWS credentials of profile 'y': The source_profile \"z\" "
            'referenced in the profile "y" does not exist.',
        ),
        (
            "x",
            "[profile x]\nregion = us-east-1\ncredential_process = /nonexistent/get-creds\n",
            "Could not read the AWS credentials of profile 'x': No such file or directory: "
            "/nonexistent/get-creds.",
        ),
        (
            "v",  # aws-vault and its like explain themselves on stderr, over several lines
            "[profile v]\nregion = us-east-1\n"
            'credential_process = sh -c \'printf "vault: error\\n  caused by: locked\\n" >&2; '
            "exit 1'\n",
            "Could not read the AWS credentials of profile 'v': Error when retrieving "
            "credentials from custom-process: vault: error caused by: locked.",
        ),
        (
            "j",
            "[profile j]\nregion = us-east-1\ncredential_process = echo not-json\n",
            "Could not read the AWS credentials of profile 'j': what it read (a "
            "credential_process's output, a cached token) is not JSON: Expecting value: line 1 "
            "column 1 (char 0).",
        ),
        (
            "w",
            "[profile w]\nregion = us-east-1\ncredential_process = /bin/false\n",
            "Could not read the AWS credentials of profile 'w': Error when retrieving "
            "credentials from custom-process.",
        ),
    ],
)
def test_an_aws_config_that_cannot_give_credentials_is_one_line(
    profile: str | None, config: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not an internal error: the operator's own config, said as botocore says what is wrong."""
    config_file = Path(os.environ["AWS_CONFIG_FILE"])
    config_file.write_text(config)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with pytest.raises(core.CredentialsMissing) as caught:
        Aws(ConnectionSettings(profile=profile))
    assert caught.value.message == expected.format(config=config_file)
    assert caught.value.exit_code == 2


def test_an_unknown_profile_from_aws_profile_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "nope")
    with pytest.raises(core.InvalidInput) as caught:
        Aws(ConnectionSettings())
    assert caught.value.message == (
        "The AWS profile 'nope' (from AWS_PROFILE) is not in ~/.aws/config or ~/.aws/credentials."
    )


def test_an_sso_profile_not_signed_in_says_to_sign_in_and_can_be_waited_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No SSO token in the cache (never signed in, or signed out): botocore fails before sending
    anything. A wait rides it out (CredentialsExpired) while the operator signs in."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # an empty ~/.aws/sso/cache
    Path(os.environ["AWS_CONFIG_FILE"]).write_text(
        "[profile s]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
        "sso_account_id = 123456789012\nsso_role_name = Restorer\nregion = us-east-1\n"
    )
    aws = Aws(ConnectionSettings(profile="s"))
    with pytest.raises(core.CredentialsExpired) as caught:
        list_table_names(aws)
    assert caught.value.message == (
        "Could not list the tables (dynamodb list-tables): Error loading SSO Token: Token for "
        "https://example.awsapps.com/start does not exist; sign in again (`aws sso login`, with "
        "the profile used here) and the work goes on: waits retry by themselves, screens with "
        "ctrl+r."
    )
    assert isinstance(caught.value, core.PASSING)


def test_a_missing_container_token_file_is_named_as_it_is(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """EKS Pod Identity / ECS: botocore opens the token file itself; no credential_process."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds")
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(tmp_path / "token"))
    with pytest.raises(core.CredentialsMissing) as caught:
        Aws(ConnectionSettings())
    assert caught.value.message == (
        f"Could not read the AWS credentials: No such file or directory: {tmp_path / 'token'}."
    )


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("ResourceNotFoundException", core.TableNotFound),
        ("TableNotFoundException", core.TableNotFound),
        ("BackupNotFoundException", core.BackupNotFound),
        ("InvalidRestoreTimeException", core.RestoreTimeOutsideWindow),
        ("PointInTimeRecoveryUnavailableException", core.PitrUnavailable),
        ("TableAlreadyExistsException", core.TargetTableExists),
        ("TableInUseException", core.TableInUse),
        ("LimitExceededException", core.LimitExceeded),
        ("AccessDeniedException", core.AccessDenied),
        ("UnrecognizedClientException", core.CredentialsMissing),
        ("InternalServerError", core.AwsError),
    ],
)
def test_client_errors_map_to_core_errors(code: str, kind: type[core.LeeError]) -> None:
    translated = translate(client_error(code, "It broke."), "restore lee-devices")
    assert type(translated) is kind
    assert translated.message == f"Could not restore lee-devices: It broke ({code})."
    one_sentence(translated.message)


def test_other_errors() -> None:
    assert isinstance(translate(NoCredentialsError(), "x"), core.CredentialsMissing)
    assert isinstance(translate(NoRegionError(), "x"), core.InvalidInput)
    already = core.ReadOnlyRefused("Refused.")
    assert translate(already, "x") is already
    fault = RuntimeError("boom")  # a fault of ours, not AWS's: not dressed as an AWS error
    assert translate(fault, "list the tables") is fault
