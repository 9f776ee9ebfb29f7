"""The --endpoint-url the console may talk to: a URL it can parse, https or http, and plain http
only to this machine (the sandbox) unless the operator says otherwise: credentials and the
journal's calls would cross the network unencrypted."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lee_console.core.errors import InvalidInput

# botocore's; used with fullmatch (a $ would also match before a final newline)
_REGION = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?")

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def check_endpoint(url: str, allow_insecure: bool = False) -> str:
    """``url`` when usable, else one sentence that says what is accepted."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (reading it validates it)
    except ValueError:
        host, parts = "", None
    if parts is not None and (parts.username is not None or parts.password is not None):
        raise InvalidInput(
            "--endpoint-url must not carry a user name or password (USER:PASSWORD@): give "
            "http(s)://HOST[:PORT]; credentials come from the profile or the environment."
        )
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise InvalidInput(
            f"--endpoint-url {url!r} is not a usable URL: give http(s)://HOST[:PORT], e.g. "
            "the `sandbox serve` URL or https://dynamodb.eu-west-1.amazonaws.com."
        )
    if parts.scheme == "http" and not is_loopback(host) and not allow_insecure:
        raise InvalidInput(
            f"--endpoint-url {url!r} is plain http to another machine: credentials would cross "
            "the network unencrypted. Use https, or pass --allow-insecure-endpoint."
        )
    return url


def check_region(region: str) -> str:
    """``region`` when it reads as an AWS region name (us-east-1), else one sentence: an empty or
    malformed one would otherwise be sent with every call and answered with a server error."""
    if not _REGION.fullmatch(region):
        raise InvalidInput(
            f"The region {region!r} is not an AWS region name: give one like us-east-1 or "
            "eu-west-1 (--region, or region in the config file)."
        )
    return region
