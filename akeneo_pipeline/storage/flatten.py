"""Akeneo items (dicts exactly as the REST API sends them) -> Arrow tables of the contract.

Products and product models become one entity row each plus one row per
value (`values[attribute] = [{locale, scope, data}, ...]`), so the warehouse
can replace a product's values as a whole. Catalog items become one row each.
`raw` is the item as Akeneo sent it, minus keys the client added.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast, overload

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from akeneo_pipeline.storage.columns import build_table, dump_json
from akeneo_pipeline.storage.errors import InvalidItemError
from akeneo_pipeline.storage.product_keys import BY_IDENTIFIER, identifier_uuid
from akeneo_pipeline.storage.schemas import ADDED_KEYS, EntityTables, RecordTables, TableSpec

IDENTIFIER_KEY = "identifier"
DATA_CHUNK = 8192


def item_key(stream: str, spec: TableSpec, item: Any, index: int) -> tuple[str, ...]:
    """The item's key as a tuple; a clear error if the item is not a dict or lacks its key."""
    if not isinstance(item, dict):
        raise InvalidItemError(stream, f"#{index}", "*", f"expected a JSON object, got {type(item).__name__}")
    key = tuple(item.get(spec.source.get(col, col)) for col in spec.key)
    if any(not isinstance(part, str) or not part for part in key):
        raise InvalidItemError(stream, f"#{index}", ",".join(spec.key), f"key missing or not a string: {key!r}")
    return cast(tuple[str, ...], key)


def flatten_catalog(stream: str, spec: TableSpec, items: Sequence[dict], extracted_at: datetime,
                    run_id: str) -> pa.Table:
    keys = [item_key(stream, spec, item, i) for i, item in enumerate(items)]
    added = ADDED_KEYS.get(stream, ())
    columns: dict[str, list[Any]] = {}
    for name in spec.columns:
        if name == "raw":
            columns[name] = [{k: v for k, v in item.items() if k not in added} if added else item for item in items]
        elif name == "extracted_at":
            columns[name] = [extracted_at] * len(items)
        elif name == "run_id":
            columns[name] = [run_id] * len(items)
        else:
            source = spec.source.get(name, name)
            columns[name] = [item.get(source) for item in items]
    return build_table(stream, spec.schema, columns, keys)


def _identifier(item: dict, identifier_attribute: str | None) -> Any:
    """The product's identifier: a root `identifier` if the server sends one, else the
    non-localised, non-scoped value of the identifier attribute."""
    if IDENTIFIER_KEY in item:
        return item[IDENTIFIER_KEY]
    values = item.get("values")
    if identifier_attribute and isinstance(values, dict) and isinstance(values.get(identifier_attribute), list):
        for value in values[identifier_attribute]:
            if isinstance(value, dict) and value.get("locale") is None and value.get("scope") is None:
                return value.get("data")
    return None  # a malformed `values` is reported when the value rows are built


def identifier_key(name: str, item: Any, index: int) -> str:
    """The key of a product read from Akeneo 6 (keyed by identifier, no uuid): see product_keys.py."""
    identifier = item.get(IDENTIFIER_KEY) if isinstance(item, dict) else None
    if not isinstance(identifier, str) or not identifier:
        raise InvalidItemError(name, f"#{index}", IDENTIFIER_KEY, f"identifier missing or not a string: {identifier!r}")
    return identifier_uuid(identifier)


def flatten_entities(
    stream: EntityTables, items: Sequence[dict], extracted_at: datetime, run_id: str,
    identifier_attribute: str | None = None, product_key: str = "uuid",
) -> tuple[pa.Table, pa.Table]:
    """(entity rows, value rows) for one batch of products or product models.

    `product_key="identifier"`: products from Akeneo 6, keyed by `identifier_uuid(identifier)`.
    """
    spec, name = stream.entity, stream.entity.name
    if product_key == BY_IDENTIFIER:
        keys = [identifier_key(name, item, i) for i, item in enumerate(items)]
    else:
        keys = [item_key(name, spec, item, i)[0] for i, item in enumerate(items)]
    columns: dict[str, list[Any]] = {spec.key[0]: keys}
    for col in spec.columns:
        if col == "raw":
            columns[col] = list(items)
        elif col == "identifier":
            columns[col] = [_identifier(item, identifier_attribute) for item in items]
        elif col == "extracted_at":
            columns[col] = [extracted_at] * len(items)
        elif col == "deleted_at":
            columns[col] = [None] * len(items)
        elif col == "run_id":
            columns[col] = [run_id] * len(items)
        elif col not in columns:
            columns[col] = [item.get(col) for item in items]
    entities = build_table(name, spec.schema, columns, keys)

    values_table = _value_rows(stream, keys, items)
    return entities, values_table


def _value_rows(stream: EntityTables, keys: list[str], items: Sequence[dict]) -> pa.Table:
    """One row per (attribute, locale, scope) value, `data` as JSON text.

    Few Python objects per value: the owner key is stored once per item as a run (its
    values' count) and repeated by Arrow, and `data` is serialised by orjson straight into
    bytes that Arrow takes as a binary column and reinterprets as UTF-8 text without
    decoding each value. The bytes are moved into Arrow every DATA_CHUNK values: orjson's
    small bytes objects carry oversized allocations, and keeping a whole batch of them
    alive multiplied memory use.
    """
    name = stream.entity.name
    runs: list[int] = []  # values per item, in item order
    attributes: list[str] = []
    locales: list[Any] = []
    scopes: list[Any] = []
    data: list[bytes | None] = []
    chunks: list[pa.Array] = []
    add_attribute, add_locale, add_scope, add_data = attributes.append, locales.append, scopes.append, data.append
    dumps = orjson.dumps
    for key, item in zip(keys, items, strict=True):
        values = item.get("values") or {}
        if not isinstance(values, dict):
            raise InvalidItemError(name, key, "values", f"expected an object, got {type(values).__name__}")
        before = len(attributes)
        for attribute, entries in values.items():
            try:
                for entry in entries:
                    value = entry.get("data")
                    add_attribute(attribute)
                    add_locale(entry.get("locale"))
                    add_scope(entry.get("scope"))
                    try:
                        add_data(None if value is None else dumps(value))
                    except TypeError:  # integers beyond 64 bits: the standard library writes them exactly
                        add_data((dump_json(value) or "null").encode())
            except (AttributeError, TypeError):
                raise InvalidItemError(name, key, f"values.{attribute}",
                                       "expected a list of {locale, scope, data}") from None
        runs.append(len(attributes) - before)
        if len(data) >= DATA_CHUNK:
            chunks.append(pa.array(data, pa.binary()))
            data = []
            add_data = data.append
    chunks.append(pa.array(data, pa.binary()))
    schema = stream.values.schema
    owners = _repeated(keys, runs)
    columns = {"attribute_code": attributes, "locale": locales, "scope": scopes}
    text_fields = [f for f in schema if f.name in columns]
    rest = build_table(name, pa.schema(text_fields), columns, _Keys(owners))
    data_column = pa.chunked_array(chunks, pa.binary()).cast(pa.string()).combine_chunks()
    arrays = {stream.owner_column: owners, "data": data_column,
              **{f.name: rest.column(f.name).combine_chunks() for f in text_fields}}
    return pa.Table.from_arrays([arrays[f.name] for f in schema], schema=schema)


def _repeated(keys: list[str], runs: list[int]) -> pa.Array:
    """keys[i] repeated runs[i] times, in order, built by Arrow (a run-end encoded array decoded)."""
    kept = [i for i, n in enumerate(runs) if n]
    if not kept:
        return pa.array([], pa.string())
    ends = list(itertools.accumulate(runs))
    encoded: pa.Array = pa.RunEndEncodedArray.from_arrays(pa.array([ends[i] for i in kept], pa.int32()),
                                                pa.array([keys[i] for i in kept], pa.string()))
    decoded: pa.Array = pc.call_function("run_end_decode", [encoded])
    return decoded


class _Keys(Sequence[str]):
    """The owner of each value row, read from Arrow only when an error must name one."""

    def __init__(self, owners: pa.Array) -> None:
        self._owners = owners

    def __len__(self) -> int:
        return len(self._owners)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [str(key) for key in self._owners[index].to_pylist()]
        return str(self._owners[index].as_py())


def newest_per_key(items: Sequence[dict], key_field: str) -> list[dict]:
    """Drop repeated items of a batch, keeping the one with the newest `updated` (the last on ties).

    Overlapping `updated` windows can list one product twice; only one copy may
    reach the warehouse, or its value rows would be doubled.
    """
    chosen: dict[Any, int] = {}
    for index, item in enumerate(items):
        key = item.get(key_field) if isinstance(item, dict) else None
        if not isinstance(key, str):
            key = ("#invalid", index)  # kept, so that flattening names it in its error
        previous = chosen.get(key)
        if previous is None or _updated(item) >= _updated(items[previous]):
            chosen[key] = index
    if len(chosen) == len(items):
        return list(items)
    return [items[i] for i in sorted(chosen.values())]


_OLDEST = datetime.min.replace(tzinfo=UTC)


def _updated(item: dict) -> datetime:
    text = item.get("updated")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00")) if isinstance(text, str) else _OLDEST
    except ValueError:
        return _OLDEST
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def flatten_record_values(tables: RecordTables, items: Sequence[dict]) -> pa.Table:
    """One row per (attribute, locale, channel) value of reference entity records or assets, `data` as JSON
    text (a media file value's data is its file code: media are never downloaded)."""
    name, spec = tables.entity.name, tables.entity
    columns: dict[str, list[Any]] = {c: [] for c in tables.values.columns}
    owners: list[Any] = []
    for index, item in enumerate(items):
        key = item_key(name, spec, item, index)
        values = item.get("values") or {}
        if not isinstance(values, dict):
            raise InvalidItemError(name, "/".join(key), "values", f"expected an object, got {type(values).__name__}")
        for attribute, entries in values.items():
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise InvalidItemError(name, "/".join(key), f"values.{attribute}",
                                       "expected a list of {locale, channel, data}")
            for entry in entries:
                for column, part in zip(tables.owner_columns, key, strict=True):
                    columns[column].append(part)
                columns["attribute_code"].append(attribute)
                columns["locale"].append(entry.get("locale"))
                columns["channel"].append(entry.get("channel"))
                columns["data"].append(entry.get("data"))
                owners.append("/".join(key))
    return build_table(tables.values.name, tables.values.schema, columns, owners)


def newest_per_compound_key(stream: str, spec: TableSpec, items: Sequence[dict]) -> list[dict]:
    """`newest_per_key` for a key of several fields (records and assets: parent and code)."""
    chosen: dict[tuple[str, ...], int] = {}
    for index, item in enumerate(items):
        key = item_key(stream, spec, item, index)
        previous = chosen.get(key)
        if previous is None or _updated(item) >= _updated(items[previous]):
            chosen[key] = index
    return [items[i] for i in sorted(chosen.values())]
