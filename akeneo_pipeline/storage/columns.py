"""Bulk conversion of Python lists into typed Arrow columns, with errors that name the item.

Columns are built whole (`pa.array` over a list) because per-value appends
are an order of magnitude slower; only when that fails do we walk the list
once more to find the item at fault, so the error names it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
import pyarrow as pa

from akeneo_pipeline.storage.errors import InvalidItemError
from akeneo_pipeline.storage.schemas import TIMESTAMP, is_json

_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError, OverflowError)


def dump_json(value: Any) -> str | None:
    """Serialise one JSON document; SQL NULL for None.

    orjson is fast but refuses integers beyond 64 bits, which Akeneo can send
    in number values; the stdlib handles those. The result is decoded to a
    compact `str` at once: orjson's bytes keep an over-sized allocation, and
    holding a million of them made memory grow with the batch tenfold.
    """
    if value is None:
        return None
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


JSON_CHUNK = 2048


def json_column(values: Sequence[Any]) -> pa.Array:
    """JSON text per value (None: NULL). orjson's bytes go to Arrow as binary and are
    reinterpreted as UTF-8 text (a cast, no decode per value), in chunks, so the bytes
    objects' over-sized allocations never pile up."""
    dumps = orjson.dumps
    chunks: list[pa.Array] = []
    for at in range(0, len(values), JSON_CHUNK):
        out: list[bytes | None] = []
        add = out.append
        for value in values[at:at + JSON_CHUNK]:
            if value is None:
                add(None)
                continue
            try:
                add(dumps(value))
            except TypeError:  # integers beyond 64 bits
                add((dump_json(value) or "null").encode())
        chunks.append(pa.array(out, pa.binary()))
    if not chunks:
        return pa.array([], pa.string())
    column: pa.Array = pa.chunked_array(chunks, pa.binary()).cast(pa.string()).combine_chunks()
    return column


def _convert(field: pa.Field, values: Sequence[Any]) -> pa.Array:
    if is_json(field):
        return json_column(values)
    if field.type == TIMESTAMP:
        if values and isinstance(values[0], datetime):  # our own extracted_at, not Akeneo text
            return pa.array(values, TIMESTAMP)
        return pa.array(values, pa.string()).cast(TIMESTAMP)
    converted: pa.Array = pa.array(values, field.type)
    return converted


def build_column(stream: str, field: pa.Field, values: Sequence[Any], keys: Sequence[Any]) -> pa.Array:
    """One typed column; on bad input, an InvalidItemError naming the item's key and the value."""
    try:
        return _convert(field, values)
    except _ARROW_ERRORS as exc:
        for key, value in zip(keys, values, strict=True):
            try:
                _convert(field, [value])
            except _ARROW_ERRORS as one:
                shown = repr(value)
                detail = f"expected {field.type}{' (JSON)' if is_json(field) else ''}, got {shown[:80]} ({one})"
                shown_key = "/".join(key) if isinstance(key, tuple) else key
                raise InvalidItemError(stream, shown_key, field.name, detail) from None
        raise InvalidItemError(stream, None, field.name, str(exc)) from None


def build_table(stream: str, schema: pa.Schema, columns: Mapping[str, Sequence[Any]],
                keys: Sequence[Any]) -> pa.Table:
    """A table in exactly `schema`'s column order and types."""
    arrays = [build_column(stream, f, columns[f.name], keys) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)
