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


def _convert(field: pa.Field, values: Sequence[Any]) -> pa.Array:
    if is_json(field):
        return pa.array([dump_json(v) for v in values], pa.string())
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
