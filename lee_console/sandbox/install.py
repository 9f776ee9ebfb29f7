"""Install the extension into moto's process-global registries."""

from __future__ import annotations

from typing import Any

from moto.core.base_backend import BackendDict
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import Item

from lee_console.sandbox import handlers
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.codec import LazyItem
from lee_console.sandbox.config import CONFIG
from lee_console.sandbox.exports import handlers as export_handlers
from lee_console.sandbox.moto_guard import check_moto_internals

REGION = "us-east-1"
ACCOUNT_ID: str = DEFAULT_ACCOUNT_ID


def install_extension(
    restore_lag_seconds: float, restore_seconds: float, export_seconds: float = 20.0
) -> SandboxBackend:
    """Reset every moto backend in this process, install the sandbox's DynamoDB backend and
    handlers, and return the (fresh) us-east-1 backend."""
    check_moto_internals()
    CONFIG.restore_lag_seconds = restore_lag_seconds
    CONFIG.restore_seconds = restore_seconds
    CONFIG.export_seconds = export_seconds
    BackendDict.reset()
    dynamodb_backends.clear()
    dynamodb_backends.backend = SandboxBackend
    handlers.install()
    export_handlers.install()
    # moto's BaseModel keeps every instance it creates in a class-level list; for Items that is
    # every item ever written, copied for a scan page or restored. Nothing reads it for Items.
    for cls in (Item, LazyItem):
        setattr(cls, "instances_tracked", _Untracked())  # noqa: B010
    return dynamodb_backend()


class _Untracked(list[Any]):
    def append(self, item: Any) -> None:
        return None


def dynamodb_backend() -> SandboxBackend:
    backend: Any = dynamodb_backends[ACCOUNT_ID][REGION]
    assert isinstance(backend, SandboxBackend)
    return backend
