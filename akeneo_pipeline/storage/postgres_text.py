"""PostgreSQL cannot store U+0000: not in `text`, not in `jsonb` (DuckDB and Parquet can).

One NUL in one product label would otherwise fail its batch on every run and
stop the stream for good. Before COPY, NUL becomes U+FFFD (the replacement
character), in text columns and inside JSON strings and keys alike. Parquet
keeps the exact text; only the PostgreSQL copy is marked.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from akeneo_pipeline.storage.schemas import is_json

NUL, REPLACEMENT = "\x00", "\ufffd"
JSON_NUL = "\\u0000"  # how json.dumps writes U+0000


def _replace_in(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(NUL, REPLACEMENT)
    if isinstance(value, list):
        return [_replace_in(v) for v in value]
    if isinstance(value, dict):
        return {_replace_in(k): _replace_in(v) for k, v in value.items()}
    return value


def _json_column(column: pa.Array) -> pa.Array:
    # Only rows whose text holds the escape are parsed again: a literal "\\u0000"
    # (an escaped backslash) matches too, and parsing tells the two apart.
    if not pc.any(pc.match_substring(column, JSON_NUL)).as_py():
        return column
    texts = column.to_pylist()
    fixed = [t if t is None or JSON_NUL not in t else json.dumps(_replace_in(json.loads(t)), ensure_ascii=False)
             for t in texts]
    replaced: pa.Array = pa.array(fixed, type=column.type)
    return replaced


def without_nul(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """The batch with every U+0000 in string and JSON columns replaced by U+FFFD."""
    columns = []
    for field, column in zip(schema, batch.columns, strict=True):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = _json_column(column) if is_json(field) else pc.replace_substring(column, NUL, REPLACEMENT)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)
