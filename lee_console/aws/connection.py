"""Where and how the console connects, known before boto3 is imported: the console draws its
first frame from these while the session is built (ui/connecting.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlparse

from lee_console.core.endpoint import is_loopback


@dataclass(frozen=True)
class ConnectionSettings:
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    read_only: bool = False
    sandbox: bool = False

    @property
    def endpoint_is_loopback(self) -> bool:
        if not self.endpoint_url:
            return False
        return is_loopback(urlparse(self.endpoint_url).hostname or "")

    @property
    def local(self) -> bool:
        """The sandbox, started here or with `sandbox serve`: nothing in it is production."""
        return self.sandbox or self.endpoint_is_loopback

    def where(self, region: str) -> str:
        """Region and endpoint, for headers and messages."""
        return f"{region} @ {self.endpoint_url or f'dynamodb.{region}.amazonaws.com'}"

    def where_before_connecting(self) -> str:
        """The header's region and endpoint before the session has resolved them: the region
        a profile names is only known once its config is read."""
        region = self.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        if self.sandbox and region is None:
            region = "us-east-1"
        if region is None:
            return f"region of profile {self.profile or 'default'} (reading it...)"
        return self.where(region)
