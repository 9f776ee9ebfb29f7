"""The moto guard passes on the pinned moto and names what moved when a shape changes."""

from __future__ import annotations

import pytest
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table

from lee_console.sandbox.moto_guard import MotoInternalsChanged, check_moto_internals


def test_guard_passes_on_the_installed_moto() -> None:
    check_moto_internals()


def test_a_missing_method_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(DynamoDBBackend, "restore_table_to_point_in_time")
    with pytest.raises(MotoInternalsChanged) as caught:
        check_moto_internals()
    message = str(caught.value)
    assert message.startswith("lee-console's sandbox was built against moto 5.2.x; moto ")
    assert "moved DynamoDBBackend.restore_table_to_point_in_time" in message
    assert "pin moto to 5.2 or update lee_console/sandbox/backend.py" in message


def test_a_changed_signature_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def put_item(self: Table, attributes: dict[str, object]) -> None:  # renamed parameter
        return None

    monkeypatch.setattr(Table, "put_item", put_item)
    with pytest.raises(MotoInternalsChanged, match=r"Table\.put_item \(parameters item_attrs\)"):
        check_moto_internals()


def test_a_missing_registry_attribute_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.dynamodb.models import dynamodb_backends

    monkeypatch.setattr(dynamodb_backends, "backend", None)
    with pytest.raises(MotoInternalsChanged, match=r"dynamodb_backends\.backend"):
        check_moto_internals()
