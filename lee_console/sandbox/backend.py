"""The DynamoDB backend subclass: recorded writes, PITR windows, faithful restores and backups."""

from __future__ import annotations

import copy
import threading
from typing import Any

from moto.dynamodb.exceptions import (
    PointInTimeRecoveryUnavailable,
    ResourceInUseException,
    ResourceNotFoundException,
    SourceTableNotFoundException,
    TableAlreadyExistsException,
    TableNotFoundException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType

from lee_console.sandbox import clock, gcpause, recorder
from lee_console.sandbox.codec import HistoryKey
from lee_console.sandbox.config import CONFIG
from lee_console.sandbox.pitr import DAY
from lee_console.sandbox.tables import SandboxBackup, SandboxTable

BACKUP_TYPES = ("USER", "SYSTEM", "AWS_BACKUP", "ALL")


class SandboxBackend(DynamoDBBackend):
    """One lock per backend: a write and its history record are atomic w.r.t. a restore."""

    # moto derives the service name and URL module from the backend class's module.
    __module__ = "moto.dynamodb.models"

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.lock = threading.RLock()

    # -- tables ------------------------------------------------------------------------------
    def create_table(
        self,
        name: str,
        schema: list[dict[str, str]],
        throughput: dict[str, int] | None,
        attr: list[dict[str, str]],
        global_indexes: list[dict[str, Any]] | None,
        indexes: list[dict[str, Any]] | None,
        streams: dict[str, Any] | None,
        billing_mode: str,
        sse_specification: dict[str, Any] | None,
        tags: list[dict[str, str]],
        deletion_protection_enabled: bool | None,
        warm_throughput: dict[str, Any] | None,
    ) -> SandboxTable:
        with self.lock:
            if name in self.tables:
                raise ResourceInUseException(f"Table already exists: {name}")
            table = SandboxTable(  # type: ignore[abstract]  # moto's Table is used this way
                name,
                account_id=self.account_id,
                region=self.region_name,
                schema=schema,
                throughput=throughput,
                attr=attr,
                global_indexes=global_indexes,
                indexes=indexes,
                streams=streams,
                billing_mode=billing_mode,
                sse_specification=sse_specification,
                tags=tags,
                deletion_protection_enabled=deletion_protection_enabled,
                warm_throughput=warm_throughput,
            )
            table.lock = self.lock
            self.tables[name] = table
            return table

    def _sandbox_table(self, name: str) -> SandboxTable:
        table = self.get_table(name)
        if not isinstance(table, SandboxTable):  # pragma: no cover - created around the hooks
            raise ResourceNotFoundException(f"Table {name} was not created by the sandbox")
        return table

    def delete_table(self, name: str) -> Any:
        with self.lock:
            table = self._sandbox_table(name)
            now = clock.now()
            state = table.history.state_at(now) if table.pitr.enabled else None
            deleted = super().delete_table(name)
            if state is not None:
                backup = SandboxBackup(
                    self.account_id,
                    self.region_name,
                    f"{table.name}$DeletedTableBackup",
                    table,
                    state,
                    created_at=now,
                    type_="SYSTEM",
                    expires_at=now + table.pitr.recovery_days * DAY,
                )
                self.backups[backup.arn] = backup
            return deleted

    # -- writes (put and delete are recorded by the table itself) ----------------------------
    def update_item(self, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            table = self._sandbox_table(table_name)
            try:
                hash_dt = DynamoType(key[table.hash_key_attr])
                range_attr = table.range_key_attr
                range_dt = DynamoType(key[range_attr]) if range_attr else None
            except (KeyError, IndexError, TypeError, AttributeError):
                return super().update_item(table_name, key, *args, **kwargs)
            hkey: HistoryKey = _history_key(hash_dt, range_dt)
            recorder.remember(table, hkey, hash_dt, range_dt)
            try:
                with recorder.suppressed():
                    return super().update_item(table_name, key, *args, **kwargs)
            finally:
                table.record_current(hash_dt, range_dt)

    def transact_write_items(self, transact_items: list[dict[str, Any]]) -> None:
        with self.lock, recorder.transaction():
            super().transact_write_items(transact_items)

    def execute_statement(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return super().execute_statement(*args, **kwargs)

    def execute_transaction(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return super().execute_transaction(*args, **kwargs)

    def batch_execute_statement(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return super().batch_execute_statement(*args, **kwargs)

    # -- point-in-time recovery ---------------------------------------------------------------
    def _pitr_table(self, table_name: str) -> SandboxTable:
        try:
            return self._sandbox_table(table_name)
        except ResourceNotFoundException:
            raise TableNotFoundException(table_name) from None

    def describe_continuous_backups(self, table_name: str) -> dict[str, Any]:
        table = self._pitr_table(table_name)
        description = table.pitr.describe(clock.now(), CONFIG.restore_lag_seconds)
        table.continuous_backups = description
        return description

    def update_continuous_backups(
        self, table_name: str, point_in_time_spec: dict[str, Any]
    ) -> dict[str, Any]:
        with self.lock:
            table = self._pitr_table(table_name)
            now = clock.now()
            if point_in_time_spec.get("PointInTimeRecoveryEnabled"):
                if "RecoveryPeriodInDays" in point_in_time_spec:
                    table.pitr.set_recovery_days(point_in_time_spec["RecoveryPeriodInDays"], now)
                table.pitr.enable(now)
            else:
                table.pitr.disable()
        return self.describe_continuous_backups(table_name)

    def restore_table_to_point_in_time(  # type: ignore[override]  # more arguments
        self,
        target_table_name: str,
        source_table_name: str | None = None,
        restore_date_time: float | None = None,
        use_latest_restorable_time: bool = False,
        source_table_arn: str | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> SandboxTable:
        source_ref = source_table_name or source_table_arn or ""
        with self.lock:
            try:
                source = self._sandbox_table(source_ref)
            except ResourceNotFoundException:
                raise SourceTableNotFoundException(source_ref) from None
            if target_table_name in self.tables:
                raise TableAlreadyExistsException(target_table_name)
            if not source.pitr.enabled:
                raise PointInTimeRecoveryUnavailable(source.name)
            now = clock.now()
            lag = CONFIG.restore_lag_seconds
            if use_latest_restorable_time or restore_date_time is None:
                restore_at = clock.floor_ms(now - lag)
            else:
                restore_at = restore_date_time
            source.pitr.check_restore_time(restore_at, now, lag)
            table = self._restored_table(target_table_name, source, overrides or {})
            with gcpause.paused():
                table.load_state(source.history.state_at(restore_at), now)
            table.restore_summary = {
                "SourceTableArn": source.table_arn,
                "RestoreDateTime": restore_at,
            }
            table.ready_at = now + CONFIG.restore_seconds
            self.tables[target_table_name] = table
            return table

    def _restored_table(
        self, name: str, source: SandboxTable, overrides: dict[str, Any]
    ) -> SandboxTable:
        """A new table with the source's definition. Not carried over, as in AWS: PITR, TTL,
        tags, streams, deletion protection (and auto scaling, which moto does not model)."""
        billing = overrides.get("BillingModeOverride") or source.billing_mode
        throughput = overrides.get("ProvisionedThroughputOverride")
        if throughput is None and billing == "PROVISIONED":
            throughput = {
                k: v for k, v in source.throughput.items() if k != "NumberOfDecreasesToday"
            }
            if not any(throughput.values()):
                throughput = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
        if billing == "PAY_PER_REQUEST":
            throughput = None
        gsis = overrides.get("GlobalSecondaryIndexOverride")
        if gsis is None:
            gsis = [
                {k: v for k, v in gsi.describe().items() if k != "IndexStatus"}
                for gsi in source.global_indexes
            ]
        lsis = overrides.get("LocalSecondaryIndexOverride")
        if lsis is None:
            lsis = [lsi.describe() for lsi in source.indexes]
        sse = overrides.get("SSESpecificationOverride", source.sse_specification)
        table = SandboxTable(  # type: ignore[abstract]
            name,
            account_id=self.account_id,
            region=self.region_name,
            schema=copy.deepcopy(source.schema),
            attr=copy.deepcopy(source.attr),
            throughput=copy.deepcopy(throughput),
            billing_mode=billing,
            indexes=copy.deepcopy(lsis),
            global_indexes=copy.deepcopy(gsis),
            streams=None,
            sse_specification=copy.deepcopy(sse),
            tags=None,
            deletion_protection_enabled=False,
        )
        table.lock = self.lock
        return table

    # -- on-demand and system backups ---------------------------------------------------------
    def create_backup(self, table_name: str, backup_name: str) -> SandboxBackup:
        with self.lock:
            try:
                table = self._sandbox_table(table_name)
            except ResourceNotFoundException:
                raise TableNotFoundException(table_name) from None
            now = clock.now()
            state = table.history.state_at(now)
            backup = SandboxBackup(
                self.account_id, self.region_name, backup_name, table, state, created_at=now
            )
            self.backups[backup.arn] = backup
            return backup

    def restore_table_from_backup(  # type: ignore[override]  # more arguments
        self,
        target_table_name: str,
        backup_arn: str,
        overrides: dict[str, Any] | None = None,
    ) -> SandboxTable:
        with self.lock:
            backup: Any = self.get_backup(backup_arn)
            if target_table_name in self.tables:
                raise TableAlreadyExistsException(target_table_name)
            now = clock.now()
            table = self._restored_table(target_table_name, backup.table, overrides or {})
            with gcpause.paused():
                table.load_state(backup.state, now)
            table.restore_summary = {
                "SourceBackupArn": backup.arn,
                "SourceTableArn": backup.table.table_arn,
                "RestoreDateTime": backup.created_ts,
            }
            table.ready_at = now + CONFIG.restore_seconds
            self.tables[target_table_name] = table
            return table

    def list_backups(
        self,
        table_name: str | None,
        backup_type: str = "USER",
        lower_bound: float | None = None,
        upper_bound: float | None = None,
    ) -> list[Any]:
        backups: list[Any] = super().list_backups(table_name)  # type: ignore[arg-type]
        if backup_type != "ALL":
            backups = [b for b in backups if b.type == backup_type]
        if lower_bound is not None:
            backups = [b for b in backups if _created(b) >= lower_bound]
        if upper_bound is not None:
            backups = [b for b in backups if _created(b) <= upper_bound]
        return sorted(backups, key=_created)


def _created(backup: Any) -> float:
    return float(getattr(backup, "created_ts", clock.from_datetime(backup.creation_date_time)))


def _history_key(hash_dt: Any, range_dt: Any) -> HistoryKey:
    from lee_console.sandbox.codec import key_of_types

    return key_of_types(hash_dt, range_dt)
