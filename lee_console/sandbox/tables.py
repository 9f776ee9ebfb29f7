"""moto Table and Backup subclasses: recorded writes, an ordered key index, a computed status."""

from __future__ import annotations

import copy
import threading
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from moto.dynamodb.comparisons import OpDefault
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import RESULT_SIZE_LIMIT, Backup, Table

from lee_console.sandbox import clock, recorder
from lee_console.sandbox.codec import (
    HistoryKey,
    approximate_size,
    copy_item,
    image_of_item,
    image_of_wire,
    key_dt,
    key_of_types,
    lazy_item,
    raw_if_undecoded,
)
from lee_console.sandbox.history import TableHistory
from lee_console.sandbox.keyindex import KeyIndex
from lee_console.sandbox.pitr import PitrState

_query = threading.local()


class SandboxTable(Table):
    """A Table that records its writes, keeps its keys ordered, and may be restoring."""

    # moto derives a model's service from its module name: keep it inside moto.dynamodb.
    __module__ = "moto.dynamodb.models.table"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock: Any = threading.RLock()
        self.history = TableHistory()
        self.key_index = KeyIndex(self.range_key_attr is not None)
        self.pitr = PitrState()
        self.ready_at = 0.0
        self.restore_summary: dict[str, Any] | None = None

    # -- copying ---------------------------------------------------------------------------
    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if recorder.current_transaction() is not None:
            return self  # the transaction's undo log replaces moto's whole-table copy
        result: Any = object.__new__(self.__class__)
        memo[id(self)] = result
        for name, value in self.__dict__.items():
            shared = name in ("lock", "history")
            result.__dict__[name] = value if shared else copy.deepcopy(value, memo)
        return result

    def shell(self) -> SandboxTable:
        """A copy of the table's definition with no items and no history (for a backup)."""
        result: SandboxTable = copy.copy(self)
        result.items = defaultdict(dict)
        result.history = TableHistory()
        result.key_index = KeyIndex(self.range_key_attr is not None)
        result.indexes = copy.deepcopy(self.indexes)
        result.global_indexes = copy.deepcopy(self.global_indexes)
        result.tags = copy.deepcopy(self.tags)
        result.stream_shard = None
        result.pitr = PitrState()
        return result

    # -- writes ----------------------------------------------------------------------------
    def _key_types(self, item_attrs: dict[str, Any]) -> tuple[Any, Any]:
        hash_dt = DynamoType(item_attrs[self.hash_key_attr])
        range_dt = DynamoType(item_attrs[self.range_key_attr]) if self.range_key_attr else None
        return hash_dt, range_dt

    def _contains(self, hash_dt: Any, range_dt: Any) -> bool:
        if range_dt is None:
            return hash_dt in self.items
        return range_dt in self.items.get(hash_dt, {})

    def put_item(self, item_attrs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            try:
                hash_dt, range_dt = self._key_types(item_attrs)
            except (KeyError, IndexError, TypeError, AttributeError):
                return super().put_item(item_attrs, *args, **kwargs)  # moto raises its error
            key = key_of_types(hash_dt, range_dt)
            recorder.remember(self, key, hash_dt, range_dt)
            existed = self._contains(hash_dt, range_dt)
            item = super().put_item(item_attrs, *args, **kwargs)
            if not existed:
                self.key_index.add(item.hash_key, item.range_key)
            image = image_of_wire(item_attrs)
            recorder.record(self, key, image)
            self._store_lazy(image, item.hash_key, item.range_key)
            return item

    def _store_lazy(self, image: str, hash_dt: Any, range_dt: Any) -> None:
        """Keep the stored item as its image (decoded on first read): scans of untouched
        items then splice the image into the response, and memory stays compact."""
        lazy = lazy_item(image, hash_dt, range_dt)
        if range_dt is None:
            self.items[hash_dt] = lazy
        else:
            self.items[hash_dt][range_dt] = lazy

    def delete_item(self, hash_key: Any, range_key: Any | None) -> Any:
        with self.lock:
            key = key_of_types(hash_key, range_key)
            recorder.remember(self, key, hash_key, range_key)
            item = super().delete_item(hash_key, range_key)
            if item is not None:
                self.key_index.remove(hash_key, range_key)
                recorder.record(self, key, None)
            return item

    def record_current(self, hash_dt: Any, range_dt: Any) -> None:
        """Record the key's present state if it differs from the last record (update_item)."""
        key = key_of_types(hash_dt, range_dt)
        item = self.get_item(hash_dt, range_dt)
        image = image_of_item(item) if item is not None else None
        if item is not None and not self.key_index_has(hash_dt, range_dt):
            self.key_index.add(hash_dt, range_dt)
        if image != self.history.latest(key):
            recorder.record(self, key, image)
        if image is not None:
            self._store_lazy(image, hash_dt, range_dt)

    def key_index_has(self, hash_dt: Any, range_dt: Any) -> bool:
        return self.key_index.contains(hash_dt, range_dt)

    def restore_raw(self, hash_dt: Any, range_dt: Any, old: Any) -> None:
        """Put back a pre-image without recording (a cancelled transaction)."""
        if old is None:
            if range_dt is None:
                self.items.pop(hash_dt, None)
            else:
                self.items.get(hash_dt, {}).pop(range_dt, None)
            self.key_index.remove(hash_dt, range_dt)
            return
        if range_dt is None:
            self.items[hash_dt] = old
        else:
            self.items[hash_dt][range_dt] = old
        if not self.key_index_has(hash_dt, range_dt):
            self.key_index.add(hash_dt, range_dt)

    def load_state(self, state: Mapping[HistoryKey, str], ts: float) -> None:
        """Fill an empty table with ``state`` (key -> image), recorded as written at ``ts``."""
        self.fill_items(state)
        self.history = TableHistory.from_state(ts, state)

    def fill_items(self, state: Mapping[HistoryKey, str]) -> None:
        """Put the items of ``state`` (key -> image) into the table without recording them.
        Items decode their attributes on first access (see codec.LazyItem)."""
        items = self.items
        entries: list[tuple[Any, ...]] = []
        htype = self.hash_key_type
        hnum = htype == "N"
        if self.range_key_attr is None:
            for hn, image in state.items():
                hash_dt = key_dt(htype, hn)
                items[hash_dt] = lazy_item(image, hash_dt, None)
                entries.append((Decimal(hn) if hnum else hn, hash_dt))
        else:
            rtype = self.range_key_type or "S"
            rnum = rtype == "N"
            for (hn, rn), image in state.items():
                hash_dt, range_dt = key_dt(htype, hn), key_dt(rtype, rn)
                items[hash_dt][range_dt] = lazy_item(image, hash_dt, range_dt)
                entries.append(
                    (Decimal(hn) if hnum else hn, Decimal(rn) if rnum else rn, hash_dt, range_dt)
                )
        if len(self.key_index) == 0:
            self.key_index.load(entries)
        else:
            self.rebuild_key_index()

    def rebuild_key_index(self) -> None:
        if self.range_key_attr is None:
            self.key_index.rebuild((h, None) for h in self.items)
        else:
            self.key_index.rebuild((h, r) for h, inner in self.items.items() for r in inner)

    # -- reads -----------------------------------------------------------------------------
    def _entry_item(self, entry: tuple[Any, ...]) -> Any:
        """The item of a key-index entry (whose last fields are the key's DynamoTypes)."""
        if self.range_key_attr is None:
            return self.items.get(entry[-1])
        return self.items.get(entry[-2], {}).get(entry[-1])

    def scan(
        self,
        filters: dict[str, Any],
        limit: int,
        exclusive_start_key: dict[str, Any],
        filter_expression: Any = None,
        index_name: str | None = None,
        consistent_read: bool = False,
        projection_expression: list[list[str]] | None = None,
        segments: Any = (None, None),
    ) -> tuple[list[Any], int, dict[str, Any] | None]:
        if index_name:
            return super().scan(
                filters,
                limit,
                exclusive_start_key,
                filter_expression,
                index_name,
                consistent_read,
                projection_expression,
                segments=segments,
            )
        if isinstance(filter_expression, OpDefault):
            filter_expression = None  # moto's parse of "no FilterExpression": always true
        results: list[Any] = []
        result_size = scanned_count = 0
        last_evaluated_key = None
        with self.lock:
            if self.range_key_attr is None and len(self.key_index) != len(self.items):
                self.rebuild_key_index()  # something wrote around the hooks: re-sync
            after = None
            if exclusive_start_key:
                after = self.key_index.probe(
                    exclusive_start_key, self.hash_key_attr, self.range_key_attr
                )
            for entry in self.key_index.walk(segments[0], segments[1], after):
                item = self._entry_item(entry)
                if item is None:
                    continue
                size = approximate_size(item)
                if len(results) == limit or result_size + size > RESULT_SIZE_LIMIT:
                    last_evaluated_key = self._get_last_evaluated_key(results[-1], None)
                    break
                if not filters or _passes(item, filters):
                    results.append(copy_item(item))
                    result_size += size
                scanned_count += 1
        if filter_expression is not None:
            results = [item for item in results if filter_expression.expr(item)]
        if projection_expression:
            results = [r.project(projection_expression) for r in results]
        elif filter_expression is None:
            # Nothing reads these items' attributes before the response: let the handler
            # splice undecoded items' images into the body as they are.
            results = [raw_if_undecoded(item) for item in results]
        return results, scanned_count, last_evaluated_key

    def query(self, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name or hash_key is None:
            return super().query(hash_key, *args, **kwargs)
        _query.partition = (self, hash_key)
        try:
            with self.lock:
                return super().query(hash_key, *args, **kwargs)
        finally:
            _query.partition = None

    def all_items(self) -> list[Any]:
        partition = getattr(_query, "partition", None)
        if partition is not None and partition[0] is self:
            hash_key = partition[1]
            if self.range_key_attr is None:
                item = self.items.get(hash_key)
                return [item] if item is not None else []
            return list(self.items.get(hash_key, {}).values())
        return super().all_items()

    # -- status ----------------------------------------------------------------------------
    def describe(self, base_key: str = "TableDescription") -> dict[str, Any]:
        result: dict[str, Any] = super().describe(base_key=base_key)
        result[base_key]["TableSizeBytes"] = self.history.size_bytes()
        in_progress = clock.now() < self.ready_at
        if in_progress:
            result[base_key]["TableStatus"] = "CREATING"
        if self.restore_summary is not None:
            result[base_key]["RestoreSummary"] = {
                **self.restore_summary,
                "RestoreInProgress": in_progress,
            }
        return result


def _passes(item: Any, filters: dict[str, Any]) -> bool:
    """moto's legacy ScanFilter test, as Table.scan applies it."""
    for attribute_name, (operator, values) in filters.items():
        attribute = item.attrs.get(attribute_name)
        if attribute:
            if not attribute.compare(operator, values):
                return False
        elif operator != "NULL":
            return False
    return True


# The keys of DescribeBackup's GlobalSecondaryIndexInfo and LocalSecondaryIndexInfo.
_LSI_INFO = ("IndexName", "KeySchema", "Projection")
_GSI_INFO = (*_LSI_INFO, "ProvisionedThroughput", "OnDemandThroughput")


class SandboxBackup(Backup):
    """A backup holding the table's items as of its (possibly backdated) creation time."""

    def __init__(
        self,
        account_id: str,
        region_name: str,
        name: str,
        table: SandboxTable,
        state: Mapping[HistoryKey, str],
        created_at: float,
        type_: str = "USER",
        expires_at: float | None = None,
    ) -> None:
        super().__init__(account_id, region_name, name, table.shell(), type_=type_)
        self.creation_date_time = clock.naive_utc(created_at)
        self.identifier = self._make_identifier()
        self.state = dict(state)
        self.created_ts = created_at
        self.expires_at = expires_at
        self.size_bytes = sum(len(image) for image in self.state.values())

    def _patch(self, body: dict[str, Any]) -> dict[str, Any]:
        body["BackupSizeBytes"] = self.size_bytes
        if self.expires_at is not None:
            body["BackupExpiryDateTime"] = self.expires_at
        return body

    @property
    def details(self) -> dict[str, Any]:
        return self._patch(dict(super().details))

    @property
    def summary(self) -> dict[str, Any]:
        return self._patch(dict(super().summary))

    @property
    def description(self) -> dict[str, Any]:
        body: dict[str, Any] = super().description
        body["SourceTableDetails"]["ItemCount"] = len(self.state)
        body["SourceTableDetails"]["TableSizeBytes"] = self.size_bytes
        body["SourceTableFeatureDetails"] = self.feature_details()
        return body

    def feature_details(self) -> dict[str, Any]:
        """DescribeBackup's SourceTableFeatureDetails, as AWS gives it: the table's indexes,
        stream and TTL when the backup was taken (the backup holds a copy of the table)."""
        table: Any = self.table
        details: dict[str, Any] = {"TimeToLiveDescription": dict(table.ttl)}
        stream = table.stream_specification or {}
        if stream.get("StreamEnabled"):
            details["StreamDescription"] = {
                "StreamEnabled": True,
                "StreamViewType": stream["StreamViewType"],
            }
        gsis = [index.describe() for index in table.global_indexes]
        if gsis:
            details["GlobalSecondaryIndexes"] = [
                {k: v for k, v in gsi.items() if k in _GSI_INFO and v is not None} for gsi in gsis
            ]
        lsis = [index.describe() for index in table.indexes]
        if lsis:
            details["LocalSecondaryIndexes"] = [
                {k: v for k, v in lsi.items() if k in _LSI_INFO} for lsi in lsis
            ]
        return details
