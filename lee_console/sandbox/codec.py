"""Item images: the compact form history keeps, and fast conversion to and from moto's Items.

An image is an item's attributes in DynamoDB wire JSON (``{"device_id": {"S": "dev-1"}, ...}``)
serialised to one ``str``: immutable, shareable between history, backups and snapshots, and about
a third of the memory of the equivalent nested dicts. A history key is the item's primary key
normalised to plain hashable values (numbers canonicalised, so "1" and "1.0" are one key).
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

HistoryKey = Any  # str | tuple[str, str]: plain, hashable, cheap to compare
_SEPARATORS = (",", ":")
_new_dt = object.__new__


def norm_value(type_: str, value: Any) -> str:
    """A canonical string for a key attribute value (S, N or B)."""
    if type_ == "N":
        return format(Decimal(value).normalize(), "f")
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def dt(wire: dict[str, Any], from_image: bool = False) -> Any:
    """A DynamoType from a wire value, built without DynamoType.__init__'s per-call overhead.

    Produces exactly what ``DynamoType(wire)`` produces (``type`` and ``value``; nested M and L
    values converted recursively); moto_guard checks that this still holds. ``from_image``:
    binary values were base64-encoded into the image and are decoded back to bytes.
    """
    ((type_, value),) = wire.items()
    result = _new_dt(DynamoType)
    if type_ == "M":
        value = {k: dt(v, from_image) for k, v in value.items()}
    elif type_ == "L":
        value = [dt(v, from_image) for v in value]
    elif from_image and type_ == "B":
        value = base64.b64decode(value)
    elif from_image and type_ == "BS":
        value = [base64.b64decode(v) for v in value]
    result.type = type_
    result.value = value
    return result


def item_from_wire(
    attrs: dict[str, Any], hash_attr: str, range_attr: str | None, from_image: bool = False
) -> Any:
    """A moto Item from wire attributes, skipping LimitedSizeDict's per-insert size check
    (the image was valid when it was written)."""
    item = _new_dt(Item)
    converted = LimitedSizeDict.__new__(LimitedSizeDict)
    dict.__init__(converted, {k: dt(v, from_image) for k, v in attrs.items()})
    item.attrs = converted
    item.hash_key = converted[hash_attr]
    item.range_key = converted[range_attr] if range_attr is not None else None
    return item


def item_from_image(image: str, hash_attr: str, range_attr: str | None) -> Any:
    return item_from_wire(json.loads(image), hash_attr, range_attr, from_image=True)


_decode_lock = threading.Lock()


class LazyItem(Item):
    """An Item whose attributes are decoded from its image on first access.

    Restores and seeding create tens of thousands of items that are mostly never read; building
    each one's DynamoType tree up front was most of a 100k-item restore. The key values are
    decoded at once (the table's dict needs them); ``attrs`` on first use, under a lock so two
    threads cannot each decode a copy and lose a write made to the other.
    """

    __module__ = "moto.dynamodb.models.dynamo_type"

    def __init__(self, image: str, hash_key: Any, range_key: Any | None) -> None:
        self._image: str | None = image
        self._attrs: Any = None
        self.hash_key = hash_key
        self.range_key = range_key

    @property
    def attrs(self) -> Any:
        attrs = self._attrs
        if attrs is None:
            with _decode_lock:
                attrs = self._attrs
                if attrs is None:
                    assert self._image is not None
                    attrs = LimitedSizeDict.__new__(LimitedSizeDict)
                    wire = json.loads(self._image)
                    dict.__init__(attrs, {k: dt(v, True) for k, v in wire.items()})
                    self._attrs = attrs
                    self._image = None
        return attrs

    @attrs.setter
    def attrs(self, value: Any) -> None:
        self._attrs = value
        self._image = None


def key_dt(type_: str, norm: str) -> Any:
    """The DynamoType of a key attribute from its normalised history-key value."""
    result = _new_dt(DynamoType)
    result.type = type_
    result.value = base64.b64decode(norm) if type_ == "B" else norm
    return result


def lazy_item(image: str, hash_key: Any, range_key: Any | None) -> Any:
    """A LazyItem for ``image`` with the given key DynamoTypes (not tracked by moto's
    instance registry, which would otherwise keep every item ever built alive)."""
    item = _new_dt(LazyItem)
    item._image = image
    item._attrs = None
    item.hash_key = hash_key
    item.range_key = range_key
    return item


def _wire(value: Any) -> dict[str, Any]:
    type_ = value.type
    raw = value.value
    if type_ == "M":
        return {"M": {k: _wire(v) for k, v in raw.items()}}
    if type_ == "L":
        return {"L": [_wire(v) if isinstance(v, DynamoType) else v for v in raw]}
    return {type_: raw}


def image_of_item(item: Any) -> str:
    """The image of a moto Item as it is now."""
    return json.dumps(
        {k: _wire(v) for k, v in item.attrs.items()}, separators=_SEPARATORS, default=_b64
    )


def image_of_wire(attrs: dict[str, Any]) -> str:
    return json.dumps(attrs, separators=_SEPARATORS, default=_b64)


def _b64(value: Any) -> str | dict[str, Any]:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Mapping):
        # PartiQL and ImportTable hand over py_partiql_parser's CaseInsensitiveDict (a Mapping,
        # not a dict); its keys keep their case, so the image is what a dict would give.
        return dict(value)
    raise TypeError(f"cannot put {type(value).__name__} in an item image")


def key_of_wire(attrs: dict[str, Any], hash_attr: str, range_attr: str | None) -> HistoryKey:
    """The history key of an item (or key dict) given in wire form."""
    ((htype, hval),) = attrs[hash_attr].items()
    hkey = norm_value(htype, hval)
    if range_attr is None:
        return hkey
    ((rtype, rval),) = attrs[range_attr].items()
    return (hkey, norm_value(rtype, rval))


def key_of_types(hash_value: Any, range_value: Any | None) -> HistoryKey:
    """The history key for moto DynamoType key values."""
    hkey = norm_value(hash_value.type, hash_value.value)
    if range_value is None:
        return hkey
    return (hkey, norm_value(range_value.type, range_value.value))


def copy_value(value: Any) -> Any:
    """A deep copy of a DynamoType tree (what copy.deepcopy does, without its memo machinery)."""
    result = _new_dt(DynamoType)
    type_ = result.type = value.type
    raw = value.value
    if type_ == "M":
        raw = {k: copy_value(v) for k, v in raw.items()}
    elif type_ == "L":
        raw = [copy_value(v) for v in raw]
    elif isinstance(raw, list):
        raw = list(raw)
    result.value = raw
    return result


def copy_item(item: Any) -> Any:
    """A copy of an Item that later writes to the table cannot change: an undecoded LazyItem
    shares its immutable image; anything else is copied attribute by attribute."""
    if isinstance(item, LazyItem) and item._image is not None:
        return lazy_item(item._image, item.hash_key, item.range_key)
    result = _new_dt(Item)
    attrs = LimitedSizeDict.__new__(LimitedSizeDict)
    dict.__init__(attrs, {k: copy_value(v) for k, v in item.attrs.items()})
    result.attrs = attrs
    result.hash_key = item.hash_key
    result.range_key = item.range_key
    return result


def approximate_size(item: Any) -> int:
    """moto's item size, or for an undecoded item the length of its image (a slight
    overestimate: the page size limit is approximate in any case)."""
    if isinstance(item, LazyItem) and item._image is not None:
        return len(item._image)
    return int(item.size())


class RawImage:
    """An item's attributes as wire JSON text, passed through moto's response conversion
    untouched and spliced into the response body by handlers._fast_json."""

    __slots__ = ("image",)

    def __init__(self, image: str) -> None:
        self.image = image


class RawItem:
    """What a scan page holds for an undecoded item when no filter or projection needs its
    attributes: the handler reads ``attrs`` (a RawImage) and the key values only."""

    __slots__ = ("hash_key", "image", "range_key")

    def __init__(self, image: str, hash_key: Any, range_key: Any | None) -> None:
        self.image = image
        self.hash_key = hash_key
        self.range_key = range_key

    @property
    def attrs(self) -> RawImage:
        return RawImage(self.image)


def raw_if_undecoded(item: Any) -> Any:
    if isinstance(item, LazyItem) and item._image is not None:
        return RawItem(item._image, item.hash_key, item.range_key)
    return item
